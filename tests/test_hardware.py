"""Each worker's share of the machine, planned against simulated machines."""

import os

import pytest

from deepenough._hardware import (
    RESERVED_BYTES,
    WORKER_BYTES,
    WORKERS_PER_GPU,
    Gpu,
    Machine,
    auto_workers,
    detect,
    plan_workers,
)

GiB = 2**30
LAPTOP = Machine(tuple(range(8)), (), 16 * GiB)
TWO_GPUS = Machine(tuple(range(16)), (Gpu(0, "NVIDIA A100"), Gpu(1, "NVIDIA A100")), 64 * GiB)


def test_auto_gives_one_single_thread_worker_per_core_on_cpu() -> None:
    slots = plan_workers(None, LAPTOP)
    assert len(slots) == 8
    assert [s.cpus for s in slots] == [(i,) for i in range(8)]
    assert all(s.threads == 1 and s.gpu is None for s in slots)
    assert all(s.environment()["CUDA_VISIBLE_DEVICES"] == "" for s in slots)


def test_auto_is_capped_by_free_memory_with_a_copy_of_the_data_per_worker() -> None:
    tight = Machine(tuple(range(8)), (), RESERVED_BYTES + 3 * WORKER_BYTES + 100)
    assert auto_workers(tight) == 3
    data = WORKER_BYTES  # a copy of the data as large as the worker itself
    assert auto_workers(tight, data_bytes=data) == 1
    assert auto_workers(Machine((0, 1), (), RESERVED_BYTES // 2)) == 1  # never fewer than one


def test_fewer_workers_than_cores_get_disjoint_blocks_sized_alike() -> None:
    slots = plan_workers(3, LAPTOP)
    assert [s.cpus for s in slots] == [(0, 1, 2), (3, 4, 5), (6, 7)]
    assert [s.environment()["TF_NUM_INTRAOP_THREADS"] for s in slots] == ["3", "3", "2"]
    assert plan_workers(1, LAPTOP)[0].cpus == LAPTOP.cpus


def test_more_workers_than_cores_share_them_round_robin() -> None:
    slots = plan_workers(3, Machine((4, 7), (), 16 * GiB))
    assert [s.cpus for s in slots] == [(4,), (7,), (4,)]


def test_auto_puts_workers_per_gpu_side_by_side_each_on_its_own_cores() -> None:
    slots = plan_workers(None, TWO_GPUS)
    assert len(slots) == 2 * WORKERS_PER_GPU
    assert [s.gpu.index for s in slots] == [0, 1] * WORKERS_PER_GPU
    assert all(s.gpu_sharers == WORKERS_PER_GPU for s in slots)
    cores = [c for s in slots for c in s.cpus]
    assert len(cores) == len(set(cores)) == 16  # disjoint, every core used
    env = slots[1].environment()
    assert env["CUDA_VISIBLE_DEVICES"] == "1" and env["TF_FORCE_GPU_ALLOW_GROWTH"] == "true"


def test_one_worker_per_gpu_when_asked_and_gpus_are_listed_by_name() -> None:
    slots = plan_workers(2, TWO_GPUS)
    assert [(s.gpu.index, s.gpu_sharers) for s in slots] == [(0, 1), (1, 1)]
    assert TWO_GPUS.devices == ("GPU 0: NVIDIA A100", "GPU 1: NVIDIA A100")
    assert LAPTOP.devices == ("CPU (8 cores)",)


def test_three_workers_on_two_gpus_share_the_first() -> None:
    slots = plan_workers(3, TWO_GPUS)
    assert [(s.gpu.index, s.gpu_sharers) for s in slots] == [(0, 2), (1, 1), (0, 2)]


def test_auto_never_starts_more_gpu_workers_than_cores() -> None:
    machine = Machine((0,), (Gpu(0, "T4"),), 64 * GiB)
    assert auto_workers(machine) == 1


def test_this_machine_is_detected() -> None:
    machine = detect()
    assert machine.cpus and machine.available_bytes > 0
    if hasattr(os, "sched_getaffinity"):
        assert set(machine.cpus) == os.sched_getaffinity(0)


@pytest.mark.gpu
def test_the_gpus_are_seen_and_a_worker_trains_on_one() -> None:
    machine = detect()
    assert machine.gpus, "a GPU check runs on a machine with a GPU"
    assert plan_workers(None, machine)[0].gpu is not None
