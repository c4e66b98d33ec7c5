"""The source stage: rulesync.yaml and .rulesync/ read, validated and modelled."""
