"""Benchmarks: one command each (see each module's docstring)."""
