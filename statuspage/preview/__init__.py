"""`statuspage serve`: the live preview, rebuilt by the same pipeline whenever an input changes."""
