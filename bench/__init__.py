"""Homebound's benchmarks: programs that print figures (never timed assertions in tests)."""
