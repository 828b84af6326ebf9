"""Benchmarks that print/write JSON: `python -m anytag_training.bench.emoji`."""
