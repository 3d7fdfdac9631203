"""Third-party status: vendors' Statuspage v2 summaries, fetched, kept as snapshots, and read back."""
