"""Career ladders for product management, as data you can query."""

__version__ = "0.1.0"
# The shape of a ladder file; bump it when the models change what they accept or produce.
# Kept here, not in `models`, so the cache can key on it without importing pydantic models.
SCHEMA_VERSION = 1
