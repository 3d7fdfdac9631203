"""Writing notes for people: `new`, `update`, `resolve`, `list` and `init`. Every write goes
through `save`, which validates the result before it replaces anything and never clobbers
a note someone else changed."""
