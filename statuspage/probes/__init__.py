"""Probes: checks, the JSON-lines store of what they saw, and the daily roll-up the build reads."""
