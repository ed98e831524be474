"""How many processes to run at once, by default: one per usable core (handouts, parallel reading)."""

import os


def usable_cores():
    """The cores this process may run on: its CPU affinity where the system
    keeps one (Linux), else every core of the machine."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
