"""Read and validate statuspage.toml into the core's frozen `Config`, reporting every problem at once.

`load` reads the file and its site-wide settings; each other module reads one kind of table:
components, a component's `probe`, [[notify]] channels, [[upstream]] pages, [console]. `checks`
holds the single-value checks they share. Every reader reports through one `schema.Reader`, so
all problems come out together, each with its key.
"""

from .load import load

__all__ = ["load"]
