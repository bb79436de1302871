"""The shared core: building blocks that know nothing of any domain app.

Nothing in this package imports ``accounts``, the domain apps or the pages on top of them;
``lint-imports`` (contracts in pyproject.toml) keeps it that way.
"""
