"""The sync and check stage: outputs compared with the disk and the lock, then written."""
