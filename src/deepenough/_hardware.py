"""The machine's share for each training worker: which cores, how many threads, which GPU.

`detect()` reads the machine, `plan_workers()` turns `--workers N|auto` into one
`WorkerSlot` per worker, and the worker applies its slot (`WorkerSlot.apply`) before
TensorFlow starts in it. Planning is pure, so it is tested against simulated machines.

The rule for `auto` (measured in `reports/benchmarks/parallel.md`):

- on CPU, one single-thread worker per core: on 2 cores, two one-thread workers
  trained the same 30 configs at 1.38× the trials an hour of one two-thread worker on
  a 2,000-row table and 1.29× on 128-step sequences (whose convolutions and
  recurrences use a second thread well, and where a long trial that ends alone leaves
  a core idle). Unpinned workers with a thread per core each, and pinned ones with two
  threads that borrow an idle worker's core, did no better on both tasks at once (see
  the benchmark's reading), and unpinned ones make a trial's time depend on what else
  runs, so each worker keeps its own cores;
- with GPUs, `WORKERS_PER_GPU` workers per GPU, side by side with memory growth on,
  each with its own cores;
- never more workers than free memory holds, at `WORKER_BYTES` plus a copy of the
  packed data each, keeping `RESERVED_BYTES` free.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass

import psutil

logger = logging.getLogger(__name__)

WORKER_BYTES = 700 * 2**20
"""What a training child holds once TensorFlow is imported, before it trains (measured:
about 0.7 GB resident)."""
RESERVED_BYTES = 1 * 2**30
"""Free memory `auto` leaves to the search process and the rest of the machine."""
WORKERS_PER_GPU = 2
"""Workers that share one GPU under `auto`: small networks leave a GPU mostly idle
between kernel launches, so a second worker fills the gaps. Not yet measured."""
CPU = "CPU"


@dataclass(frozen=True)
class Gpu:
    index: int
    """The index CUDA numbers it by (what `CUDA_VISIBLE_DEVICES` takes)."""
    name: str


@dataclass(frozen=True)
class Machine:
    cpus: tuple[int, ...]
    """The cores this process may run on."""
    gpus: tuple[Gpu, ...]
    available_bytes: int

    @property
    def devices(self) -> tuple[str, ...]:
        """What trains, as the manifest lists it: each GPU's name, or the CPU."""
        return tuple(f"GPU {g.index}: {g.name}" for g in self.gpus) or (
            f"{CPU} ({len(self.cpus)} cores)",
        )


@dataclass(frozen=True)
class WorkerSlot:
    """One worker's share of the machine."""

    index: int
    cpus: tuple[int, ...]
    gpu: Gpu | None = None
    gpu_sharers: int = 1
    """Workers on this slot's GPU, itself included."""

    @property
    def threads(self) -> int:
        return max(len(self.cpus), 1)

    def environment(self) -> dict[str, str]:
        """Variables to set before TensorFlow is imported: its thread pools sized to the
        slot's cores, and only the slot's GPU visible (none for a CPU slot), with memory
        growth so that workers sharing it fit side by side."""
        threads = str(self.threads)
        return {
            "TF_NUM_INTRAOP_THREADS": threads,
            "TF_NUM_INTEROP_THREADS": threads,
            "OMP_NUM_THREADS": threads,
            "CUDA_VISIBLE_DEVICES": "" if self.gpu is None else str(self.gpu.index),
            "TF_FORCE_GPU_ALLOW_GROWTH": "true",
        }

    def apply(self) -> None:
        """Pin this process to the slot's cores and set `environment()`; call before
        TensorFlow is imported."""
        os.environ.update(self.environment())
        if self.cpus and hasattr(os, "sched_setaffinity"):  # Linux; elsewhere threads only
            try:
                os.sched_setaffinity(0, self.cpus)
            except OSError as error:  # a core gone offline since planning
                logger.warning("worker %d stays unpinned: %s", self.index, error)


def detect() -> Machine:
    """This machine: the cores this process may use, the GPUs TensorFlow sees (within
    `CUDA_VISIBLE_DEVICES`) and the memory available."""
    if hasattr(os, "sched_getaffinity"):
        cpus = tuple(sorted(os.sched_getaffinity(0)))
    else:
        cpus = tuple(range(os.cpu_count() or 1))
    return Machine(cpus, _gpus(), int(psutil.virtual_memory().available))


def _gpus() -> tuple[Gpu, ...]:
    import tensorflow as tf

    found = []
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    indices = [int(i) for i in visible.split(",") if i.strip().isdigit()] if visible else None
    for position, device in enumerate(tf.config.list_physical_devices("GPU")):
        details = tf.config.experimental.get_device_details(device)
        index = indices[position] if indices and position < len(indices) else position
        found.append(Gpu(index, str(details.get("device_name", device.name))))
    return tuple(found)


def auto_workers(machine: Machine, data_bytes: int = 0) -> int:
    """How many workers `auto` starts on `machine` (see the module docstring)."""
    wanted = len(machine.gpus) * WORKERS_PER_GPU if machine.gpus else len(machine.cpus)
    wanted = min(wanted, max(len(machine.cpus), 1))
    return max(1, min(wanted, memory_cap(machine, data_bytes)))


def memory_cap(machine: Machine, data_bytes: int = 0) -> int:
    """The most workers free memory holds, each with its own copy of the data."""
    spare = machine.available_bytes - RESERVED_BYTES
    return max(1, spare // (WORKER_BYTES + data_bytes))


def plan_workers(requested: int | None, machine: Machine, data_bytes: int = 0) -> list[WorkerSlot]:
    """One slot per worker: `requested` workers (None: `auto_workers`). Cores are dealt
    out in contiguous, disjoint blocks while there are enough (more workers than cores
    share them round-robin); GPUs are dealt round-robin, every worker on one."""
    count = auto_workers(machine, data_bytes) if requested is None else requested
    if requested is not None and requested > memory_cap(machine, data_bytes):
        logger.warning(
            "%d workers may not fit in %.1f GiB of free memory (each holds about %.1f GiB)",
            requested,
            machine.available_bytes / 2**30,
            (WORKER_BYTES + data_bytes) / 2**30,
        )
    blocks = _core_blocks(machine.cpus, count)
    gpus = machine.gpus
    sharers = [sum(1 for i in range(count) if i % len(gpus) == g) for g in range(len(gpus))]
    return [
        WorkerSlot(
            index=i,
            cpus=blocks[i],
            gpu=gpus[i % len(gpus)] if gpus else None,
            gpu_sharers=sharers[i % len(gpus)] if gpus else 1,
        )
        for i in range(count)
    ]


def _core_blocks(cpus: Sequence[int], count: int) -> list[tuple[int, ...]]:
    if not cpus:
        return [() for _ in range(count)]
    if count >= len(cpus):
        return [(cpus[i % len(cpus)],) for i in range(count)]
    size, extra = divmod(len(cpus), count)
    blocks, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        blocks.append(tuple(cpus[start:end]))
        start = end
    return blocks
