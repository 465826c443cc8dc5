"""The Dash app: reads through :mod:`graph`, never a database directly."""
