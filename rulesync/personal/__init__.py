"""The personal layer: `~/.config/rulesync/` mirrored into each agent's user-level files.

- `locations`: where the user's rules, the global lock and each agent's home are;
- `user_paths`: a project output path -> the user-level path the same agent reads;
- `links`: symlinks on the way to a user-level file (dotfile managers), followed inside HOME;
- `plan`: the global mirror plan (rulesync.sync.plan's rules, with HOME as the root);
- `importing`: `rulesync import --global`, adopting hand-written user-level files.
"""
