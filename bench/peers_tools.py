"""One peer's search on one data set, within a wall-time budget (run by bench/peers.py).

    python bench/peers_tools.py TOOL TRAIN.csv TEST.csv TARGET TASK SECONDS OUT.json

TOOL is `random` or `hyperband` (KerasTuner over an MLP of depth 1 to 6), `autokeras`
(its StructuredData task; run with the Python of its own virtual environment), `logistic`
(logistic regression, or ridge for regression) or `hgb` (HistGradientBoosting). It imports
nothing from deepenough, so it also runs where only the peer is installed. The search stops
starting trials at 85% of SECONDS, cuts the trial then training, and refits the best config
on every training row, as deepenough and AutoKeras do; OUT.json receives the test score
(accuracy, or R²), the trials and the wall time.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
import pandas as pd

SEARCH_SHARE = 0.85
"""The share of the budget in which trials may start or train; the refit takes the rest."""
MAX_EPOCHS = 100
PATIENCE = 10
_state: dict = {"deadline": None, "tuner": None, "cut": False}


def main(tool: str, train: str, test: str, target: str, task: str, seconds: float, out: str):
    started = time.monotonic()
    _state["deadline"] = started + SEARCH_SHARE * seconds
    train_frame, test_frame = pd.read_csv(train), pd.read_csv(test)
    run = {"random": kerastuner, "hyperband": kerastuner, "autokeras": autokeras}.get(
        tool, sklearn_model
    )
    predictions, trials = run(tool, train_frame, test_frame, target, task)
    truth = test_frame[target].to_numpy()
    score = _score(truth, predictions, task)
    result = {"score": score, "trials": trials, "wall_seconds": time.monotonic() - started}
    with open(out, "w", encoding="utf-8") as file:
        json.dump(result, file)


def _score(truth: np.ndarray, predictions: np.ndarray, task: str) -> float:
    if task == "classification":
        return float(np.mean(truth.astype(str) == predictions.astype(str)))
    residual = np.sum((truth - predictions) ** 2)
    return float(1 - residual / np.sum((truth - truth.mean()) ** 2))


def encoded(train: pd.DataFrame, test: pd.DataFrame, target: str) -> tuple[np.ndarray, ...]:
    """One-hot categories, standardised numbers with gaps at the training mean."""
    both = pd.get_dummies(
        pd.concat([train.drop(columns=target), test.drop(columns=target)]), dtype=float
    )
    x_train, x_test = both.iloc[: len(train)], both.iloc[len(train) :]
    mean, std = x_train.mean(), x_train.std().replace(0, 1).fillna(1)
    return tuple(((x.fillna(mean) - mean) / std).to_numpy(np.float32) for x in (x_train, x_test))


def sklearn_model(tool, train, test, target, task):
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    from sklearn.linear_model import LogisticRegression, RidgeCV

    x_train, x_test = encoded(train, test, target)
    models = {
        ("logistic", "classification"): LogisticRegression(max_iter=2000),
        ("logistic", "regression"): RidgeCV(),
        ("hgb", "classification"): HistGradientBoostingClassifier(random_state=0),
        ("hgb", "regression"): HistGradientBoostingRegressor(random_state=0),
    }
    model = models[(tool, task)].fit(x_train, train[target].to_numpy())
    return model.predict(x_test), 1


def _deadline_callback():
    import keras

    class Deadline(keras.callbacks.Callback):
        """Stops the trial training when the search's time is up, and the search with it;
        the refit that follows runs to its end."""

        def on_epoch_end(self, epoch, logs=None):
            if _state["cut"] or time.monotonic() < _state["deadline"]:
                return
            _state["cut"] = True
            self.model.stop_training = True
            oracle = _state["tuner"].oracle
            oracle.max_trials = len(oracle.trials)

    return Deadline()


def kerastuner(tool, train, test, target, task):
    import keras
    import keras_tuner

    x_train, x_test = encoded(train, test, target)
    classes = np.unique(train[target].astype(str))
    if task == "classification":
        y = np.searchsorted(classes, train[target].astype(str).to_numpy())
        loss, objective = "sparse_categorical_crossentropy", "val_accuracy"
    else:
        mean, std = train[target].mean(), train[target].std()
        y = ((train[target] - mean) / std).to_numpy(np.float32)
        loss, objective = "mse", keras_tuner.Objective("val_loss", "min")

    def build(hp):
        model = keras.Sequential([keras.Input((x_train.shape[1],))])
        for _ in range(hp.Int("depth", 1, 6)):
            model.add(keras.layers.Dense(hp.Int("units", 32, 512, sampling="log"), "relu"))
            model.add(keras.layers.Dropout(hp.Float("dropout", 0.0, 0.5)))
        if task == "classification":
            model.add(keras.layers.Dense(len(classes), "softmax"))
        else:
            model.add(keras.layers.Dense(1))
        rate = hp.Float("learning_rate", 1e-4, 1e-2, sampling="log")
        metrics = ["accuracy"] if task == "classification" else []
        model.compile(keras.optimizers.Adam(rate), loss, metrics=metrics)
        return model

    common = {"objective": objective, "seed": 0, "overwrite": True, "directory": "kt"}
    if tool == "random":
        tuner = keras_tuner.RandomSearch(build, max_trials=10_000, **common)
    else:
        tuner = keras_tuner.Hyperband(build, max_epochs=MAX_EPOCHS, factor=3, **common)
    _state["tuner"] = tuner
    stop = keras.callbacks.EarlyStopping("val_loss", patience=PATIENCE)
    tuner.search(
        x_train,
        y,
        epochs=MAX_EPOCHS,
        validation_split=0.2,
        callbacks=[stop, _deadline_callback()],
        verbose=0,
    )
    best = tuner.oracle.get_best_trials(1)[0]
    epochs = (best.best_step or 0) + 1
    keras.utils.set_random_seed(0)
    model = build(best.hyperparameters)
    model.fit(x_train, y, epochs=epochs, batch_size=32, verbose=0)
    out = model.predict(x_test, verbose=0)
    if task == "classification":
        return classes[np.argmax(out, axis=1)], len(tuner.oracle.trials)
    return out[:, 0] * std + mean, len(tuner.oracle.trials)


def autokeras(tool, train, test, target, task):
    import autokeras as ak

    kind = ak.StructuredDataClassifier if task == "classification" else ak.StructuredDataRegressor
    model = kind(max_trials=10_000, overwrite=True, seed=0, directory="ak")
    _state["tuner"] = model.tuner
    x_train, x_test = encoded(train, test, target)  # AutoKeras 3 takes numpy arrays only
    y = train[target].astype(str) if task == "classification" else train[target]
    model.fit(
        x_train, y.to_numpy(), validation_split=0.2, callbacks=[_deadline_callback()], verbose=0
    )
    predictions = np.asarray(model.predict(x_test, verbose=0)).reshape(len(test), -1)
    return predictions[:, 0], len(model.tuner.oracle.trials)


if __name__ == "__main__":
    tool, train, test, target, task, seconds, out = sys.argv[1:8]
    main(tool, train, test, target, task, float(seconds), out)
