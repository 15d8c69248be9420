"""DBN benchmark: does RBM pretraining help, against the same shape without it and the
ReLU MLP?

    python bench/dbn.py                          # breast_cancer, digits, xor, shells; 5 seeds
    python bench/dbn.py --data wine --seeds 2    # a quick look

For each data set, seed and depth (1 and 3 hidden layers), three arms train with the
same width, learning rate, batch size, epoch limit and early stopping:

- **dbn**: the `dbn` family as the search builds it: stacked RBMs pre-trained by CD-1
  (`pretrain_steps` updates per layer at `pretrain_learning_rate`), then fine-tuned;
- **sigmoid**: the same network with `pretrain_steps: 0`, so Keras' default
  initialisation instead of the RBMs;
- **relu mlp**: the `mlp` family with ReLU activations and no dropout.

A seed fixes the train / validation / test split (60/20/20, the tool's own) and the
initialisation, the same for the three arms, so the arms are compared on the same rows.
Every data set is read as a table (digits' 64 pixels as 64 columns), the form a DBN
takes.
Each fit keeps its best validation epoch; the table gives the test accuracy and the
seconds (pretraining included), as mean ± sd over the seeds, and the dbn's paired gain
over the sigmoid arm with its 95% t-interval; a summary counts where that interval lies.

Writes reports/benchmarks/dbn.md (or `--table`) with the command, machine and date.
"""

from __future__ import annotations

import argparse
import datetime
import shlex
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import verdict_tasks
from machine import describe_machine

REPO = Path(__file__).resolve().parents[1]
TABLE = REPO / "reports" / "benchmarks" / "dbn.md"
DATA = ("breast_cancer", "digits", "xor", "shells")
DEPTHS = (1, 3)
ARMS = ("dbn", "sigmoid", "relu mlp")
WIDTH = 128
TRAINING = {"learning_rate": 1e-3, "batch_size": 32, "max_epochs": 100, "patience": 10}
PRETRAINING = {"pretrain_steps": 1000, "pretrain_learning_rate": 0.05}
"""The dbn family's defaults."""


def config(arm: str, layers: int):
    from deepenough.spaces import Config

    if arm == "relu mlp":
        hyperparameters = {"depth": layers, "width": WIDTH, "activation": "relu", "dropout": 0.0}
        return Config("mlp", hyperparameters, dict(TRAINING))
    pretraining = PRETRAINING if arm == "dbn" else {**PRETRAINING, "pretrain_steps": 0}
    return Config("dbn", {"layers": layers, "units": WIDTH, **pretraining}, dict(TRAINING))


def fit(dataset, train, validation, test, cfg, seed: int) -> tuple[float, float]:
    """Test accuracy at the best validation epoch, and seconds of pretraining + fitting."""
    import keras

    from deepenough import models
    from deepenough.metrics import get_metric
    from deepenough.train import fit_with_validation, predict, repeat_rows

    metric = get_metric("accuracy", dataset.spec.task)
    keras.utils.set_random_seed(seed)
    model = models.build(cfg, dataset.spec)
    started = time.perf_counter()
    models.pretrain(model, cfg, repeat_rows(train.x, int(cfg.training["batch_size"])))
    pretrain_seconds = time.perf_counter() - started
    fitted = fit_with_validation(
        model,
        train,
        validation,
        spec=dataset.spec,
        metric=metric,
        training=cfg.training,
        report=lambda epoch, value: False,
    )
    score = metric.score(test.y, predict(model, test.x, dataset.spec))
    keras.utils.clear_session(free_memory=True)
    return score, pretrain_seconds + fitted.fit_seconds


def measure(name: str, seeds: int) -> tuple[int, dict[tuple[str, int], list[tuple[float, float]]]]:
    """The data's rows, and (arm, layers) → [(test accuracy, seconds)] over the seeds."""
    from deepenough import models
    from deepenough.data import load_dataset
    from deepenough.train import PackedData

    frame = verdict_tasks.BY_NAME[name].make()
    out: dict[tuple[str, int], list[tuple[float, float]]] = {}
    for seed in range(seeds):
        dataset = load_dataset(frame, seed=seed, modality="tabular")
        encoder = models.build_encoder(dataset.spec)
        train, validation, test = (
            PackedData(models.encode(encoder, split.features, dataset.spec), split.target)
            for split in (dataset.train, dataset.validation, dataset.test)
        )
        for layers in DEPTHS:
            for arm in ARMS:
                result = fit(dataset, train, validation, test, config(arm, layers), seed)
                out.setdefault((arm, layers), []).append(result)
                print(f"{name} seed {seed} {arm} × {layers}: {result[0]:.4f}, {result[1]:.1f} s")
    return len(frame), out


def _interval(values: list[float]) -> tuple[float, float, float]:
    """Mean and 95% t-interval of paired differences."""
    from scipy import stats

    mean = float(np.mean(values))
    if len(values) < 2:
        return mean, mean, mean
    half = stats.t.ppf(0.975, len(values) - 1) * stats.sem(values)
    return mean, mean - half, mean + half


def _mean_sd(values: list[float], digits: int) -> str:
    sd = np.std(values, ddof=1) if len(values) > 1 else 0.0
    return f"{np.mean(values):.{digits}f} ± {sd:.{digits}f}"


def table(results: dict[str, tuple[int, dict]], seeds: int, command: str) -> str:
    """`results`: data name → what `measure` returned for it."""
    lines = [
        "# Deep belief networks: does RBM pretraining help?",
        "",
        f"Command: `{command}` · machine: {describe_machine()} · "
        f"date {datetime.date.today().isoformat()}",
        "",
        f"Every arm: {WIDTH} units a hidden layer, Adam at learning rate "
        f"{TRAINING['learning_rate']}, batch {TRAINING['batch_size']}, at most "
        f"{TRAINING['max_epochs']} epochs, early stopping after {TRAINING['patience']} "
        "epochs without a better validation accuracy, the best epoch's weights kept. "
        f"**dbn**: RBMs pre-trained by CD-1, {PRETRAINING['pretrain_steps']} updates a layer "
        f"at rate {PRETRAINING['pretrain_learning_rate']} (the family's defaults), then "
        "fine-tuned; **sigmoid**: the same network, not pre-trained; **relu mlp**: the mlp "
        "family, ReLU, no dropout. Test accuracy on the tool's 60/20/20 split, "
        f"mean ± sd over {seeds} seeds (a seed fixes the split and the initialisation, the "
        "same for every arm); seconds include pretraining. Gain: dbn − sigmoid, paired by "
        "seed, with its 95% t-interval.",
        "",
        "| data | layers | dbn | sigmoid | relu mlp | gain (dbn − sigmoid) "
        "| dbn s | sigmoid s | relu mlp s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    verdicts = {"helps": 0, "hurts": 0, "no difference shown": 0}
    for name, (rows, by_arm) in results.items():
        task = verdict_tasks.BY_NAME[name]
        for layers in DEPTHS:
            scores = {arm: [s for s, _ in by_arm[(arm, layers)]] for arm in ARMS}
            seconds = {arm: [t for _, t in by_arm[(arm, layers)]] for arm in ARMS}
            gain = list(np.subtract(scores["dbn"], scores["sigmoid"]))
            cells = [_mean_sd(scores[arm], 3) for arm in ARMS]
            mean, low, high = _interval(gain)
            cells.append(f"{mean:+.3f} [{low:+.3f}, {high:+.3f}]")
            verdicts["helps" if low > 0 else "hurts" if high < 0 else "no difference shown"] += 1
            cells += [_mean_sd(seconds[arm], 1) for arm in ARMS]
            label = f"{name} ({task.about}, {rows:,} rows)"
            lines.append(f"| {label} | {layers} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Pretraining helps (interval above 0) in {verdicts['helps']}, hurts (below 0) in "
        f"{verdicts['hurts']}, and shows no difference in {verdicts['no difference shown']} "
        f"of the {sum(verdicts.values())} rows. The literature expects little: with Adam, "
        "early stopping and a well-scaled initialisation, unsupervised pretraining acts "
        "mostly as a regulariser (Erhan et al. 2010, *Why does unsupervised pre-training "
        "help deep learning?*).",
    ]
    return "\n".join(lines) + "\n"


NOTES = "<!-- notes: kept when the table is rewritten -->"


def _kept_notes(path: Path) -> str:
    """The hand-written reading of an earlier run, below `NOTES`, so that a rerun keeps it
    (to be checked against the new table)."""
    text = path.read_text() if path.exists() else ""
    return "\n" + text[text.index(NOTES) :] if NOTES in text else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=",".join(DATA), help="comma-separated task names")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--table", type=Path, default=TABLE)
    args = parser.parse_args()
    names = args.data.split(",")
    unknown = [n for n in names if n not in verdict_tasks.BY_NAME]
    if unknown:
        parser.error(f"unknown data {unknown}; choose from {sorted(verdict_tasks.BY_NAME)}")
    results = {name: measure(name, args.seeds) for name in names}
    command = shlex.join(["python", "bench/dbn.py", *sys.argv[1:]])
    args.table.parent.mkdir(parents=True, exist_ok=True)
    args.table.write_text(table(results, args.seeds, command) + _kept_notes(args.table))
    print(f"wrote {args.table}")


if __name__ == "__main__":
    main()
