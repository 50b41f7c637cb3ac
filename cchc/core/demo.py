"""Demo data loaders that other apps register (called by `load_demo`)."""

DEMO_LOADERS: list = []  # callables(stdout)
