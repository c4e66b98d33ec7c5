"""rulesync's side of the prose lints: the CLI run, reports, --fix writes and the agent hook."""
