"""A trial objective on tiny data, and small MLP configs, for the training tests."""

from deepenough import models
from deepenough.data import load_dataset
from deepenough.metrics import get_metric
from deepenough.spaces import Config, load_space
from deepenough.train import PackedData, TrialObjective


def objective_for(frame, tiny_space, x_override=None, folds=0, **options):
    dataset = load_dataset(frame)
    encoder = models.build_encoder(dataset.spec)

    def pack(split):
        return PackedData(models.encode(encoder, split.features, dataset.spec), split.target)

    train = pack(dataset.train)
    if x_override is not None:
        train = PackedData(x_override(train.x), train.y)
    return TrialObjective(
        dataset.spec,
        load_space(tiny_space, models.catalog()),
        get_metric(None, dataset.spec.task),
        train,
        pack(dataset.validation),
        folds=folds,
        **options,
    )


def packed_train(frame):
    """`frame`'s data spec and its training split, encoded as trials receive it."""
    dataset = load_dataset(frame)
    encoder = models.build_encoder(dataset.spec)
    features = models.encode(encoder, dataset.train.features, dataset.spec)
    return dataset.spec, PackedData(features, dataset.train.target)


def config(depth: int = 2, dropout: float = 0.0, **training) -> Config:
    return Config(
        "mlp",
        {"depth": depth, "width": 8, "activation": "relu", "dropout": dropout},
        {"learning_rate": 0.01, "batch_size": 32, "max_epochs": 3, "patience": 5, **training},
    )


def whereabouts(request, report):
    """A job that says where it ran: its process, cores and thread setting, after
    sleeping `request` seconds (so that jobs overlap)."""
    import os
    import time

    began = time.monotonic()
    time.sleep(request)
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "pid": os.getpid(),
        "cores": cores,
        "threads": os.environ["TF_NUM_INTRAOP_THREADS"],
        "span": (began, time.monotonic()),
    }
