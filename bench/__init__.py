"""Benchmarks, run as `python -m bench.NAME`; each prints a small table and writes bench/results/NAME.json.

They are measurements, not tests: nothing here asserts a speed, because timings depend on the
machine. Each compares against a baseline measured in the same run, so a ratio means something
on any machine.
"""
