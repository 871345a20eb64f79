"""Benchmark pipeline: train, generate, verify and measure models; tabulate the results."""
