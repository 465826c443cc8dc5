"""Prefect flows and the command line: thin orchestration over :mod:`graph`."""
