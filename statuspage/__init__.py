"""statuspage: Markdown incident notes in, a static status site out."""

__version__ = "0.1.0"
