"""Analyses: pure functions from a corpus to result objects with `.to_dict()`."""
