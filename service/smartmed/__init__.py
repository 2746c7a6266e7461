"""Smart Meditation syndication service."""

__version__ = "1.0.0"
