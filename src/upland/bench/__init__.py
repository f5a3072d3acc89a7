"""Benchmarks: each measures Upland against a named baseline in the same run (ratios)."""
