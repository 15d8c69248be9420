"""One line that says which machine a benchmark ran on, for the tables it writes."""

from __future__ import annotations

import os
import platform


def describe_machine() -> str:
    import tensorflow as tf

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    gpus = [
        str(tf.config.experimental.get_device_details(gpu).get("device_name", gpu.name))
        for gpu in tf.config.list_physical_devices("GPU")
    ]
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU cores, "
        f"{memory:.0f} GiB, {', '.join(gpus) if gpus else 'no GPU'}, "
        f"Python {platform.python_version()}"
    )
