"""The SIPAS demo: (to be written)."""


def load_demo(stdout) -> None:
    return None
