"""tiegraph core: domain model, stores and analytics as plain functions on plain data."""

__version__ = "0.1.0"
