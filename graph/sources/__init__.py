"""Readers of input files: tables, calendars, and the schemas of each kind of file."""
