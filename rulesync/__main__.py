from rulesync.cli import main

raise SystemExit(main())
