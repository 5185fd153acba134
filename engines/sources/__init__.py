"""Readers of real inputs a user brings with `--source` (CSV tables for charts, ...).

Real inputs are messy: a reader keeps what an engine can use, skips the rest with a counted
reason (never silently), and raises a ValueError naming the path and the fix when nothing is left.
Readers know nothing of rendering; they return plain data the engine turns into samples.
"""
