"""Probes: checks and the runner that confirms them, the JSON-lines store of what they saw, the
daily roll-up the build reads, other monitors' data imported, draft notes for what they find,
and the `probe` command."""
