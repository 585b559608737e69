"""Career ladders for product management, as data you can query."""

__version__ = "0.1.0"
