"""One line that says which machine a benchmark ran on, for the tables it writes."""

from __future__ import annotations

import os
import platform


def describe_machine() -> str:
    from deepenough._hardware import detect

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    gpus = [gpu.name for gpu in detect().gpus]
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU cores, "
        f"{memory:.0f} GiB, {', '.join(gpus) if gpus else 'no GPU'}, "
        f"Python {platform.python_version()}"
    )
