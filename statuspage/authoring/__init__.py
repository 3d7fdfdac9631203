"""Writing notes for people: `new`, `update`, `resolve`, `list` and `init`. Every write of a
note goes through `save`, which validates the result before it replaces anything and never
clobbers a note someone else changed; `init` writes only files that do not exist yet."""
