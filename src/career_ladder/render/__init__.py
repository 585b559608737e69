"""Turning query results into text; one module per kind of output, imported by what needs it."""
