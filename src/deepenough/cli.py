"""The `automl` command line. Heavy libraries are imported inside commands so --help is instant."""

from __future__ import annotations

import contextlib
import functools
import shlex
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from deepenough._options import DEFAULT_TRIALS

EXIT_USER_ERROR = 2
EXIT_SEARCH_FAILED = 1
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C


@contextlib.contextmanager
def _usage_error_in_one_line() -> Iterator[None]:
    """A usage mistake (an unknown option, a number that is not one) as one `error:` line
    and exit code 2, like deepenough's own errors, instead of Typer's usage panel."""
    try:
        yield
    except typer.TyperException as error:
        # Typer itself singles out the no-arguments case, which prints the help instead.
        if error.exit_code != EXIT_USER_ERROR or type(error).__name__ == "NoArgsIsHelpError":
            raise
        from rich.markup import escape

        from deepenough._console import console

        context = getattr(error, "ctx", None)
        command = context.command_path if context is not None else "automl"
        problem = error.format_message().strip()
        if not problem.endswith((".", "?", "!")):
            problem += "."
        console.print(
            f"[red]error:[/red] {escape(problem)} "
            f"Run '{escape(command)} --help' to see the options.",
            markup=True,
            soft_wrap=True,
        )
        raise typer.Exit(EXIT_USER_ERROR) from None


class _OneLineUsageErrors(TyperGroup):
    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        with _usage_error_in_one_line():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        with _usage_error_in_one_line():
            return super().invoke(ctx)


app = typer.Typer(
    name="automl",
    cls=_OneLineUsageErrors,
    help="Is a shallow network enough for this data, or does it need a deep one?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

Verbose = Annotated[int, typer.Option("--verbose", "-v", count=True, help="More log output.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Only warnings and the summary.")]


def _user_errors_exit_2(command: Callable[..., Any]) -> Callable[..., Any]:
    """Print deepenough's user errors as one line and exit 2, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from deepenough._console import console
        from deepenough.errors import SearchFailed, UserError

        try:
            return command(*args, **kwargs)
        except UserError as error:
            console.print(f"[red]error:[/red] {error}", markup=True, soft_wrap=True)
            raise typer.Exit(EXIT_USER_ERROR) from None
        except SearchFailed as error:
            console.print(f"[red]search failed:[/red] {error}", markup=True, soft_wrap=True)
            raise typer.Exit(EXIT_SEARCH_FAILED) from None

    return wrapper


@app.command()
@_user_errors_exit_2
def search(
    data: Annotated[Path, typer.Argument(help="CSV file with a header row.", show_default=False)],
    target: Annotated[
        str | None, typer.Option(help="Target column [default: the last column].")
    ] = None,
    task: Annotated[
        str | None, typer.Option(help="classification or regression [default: inferred].")
    ] = None,
    metric: Annotated[
        str | None,
        typer.Option(
            help="accuracy, balanced_accuracy, roc_auc (classification); rmse, mae, r2 "
            "(regression) [default: accuracy or rmse]."
        ),
    ] = None,
    space: Annotated[str, typer.Option(help="Built-in space name or YAML file.")] = "default",
    trials: Annotated[
        int, typer.Option(help="Total trials in the study (also with --resume).")
    ] = DEFAULT_TRIALS,
    time_budget: Annotated[
        str | None,
        typer.Option(help="Stop starting trials in time to finish by then: 90s, 10m, 1h."),
    ] = None,
    test_data: Annotated[
        Path | None, typer.Option(help="Separate test CSV [default: 20% of DATA held out].")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Run directory [default: reports/<DATA stem>].")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for the split, the sampler and training.")] = 0,
    resume: Annotated[bool, typer.Option(help="Continue the study in --out.")] = False,
    overwrite: Annotated[bool, typer.Option(help="Replace the run in --out.")] = False,
    modality: Annotated[
        str | None,
        typer.Option(help="tabular, sequence or image [default: detected from the columns]."),
    ] = None,
    image_shape: Annotated[
        str | None, typer.Option(help="Image size of the pixel columns, e.g. 28x28 or 32x32x3.")
    ] = None,
    backend: Annotated[
        str, typer.Option(help="Search engine: optuna (TPE, pruning) or kerastuner.")
    ] = "optuna",
    tuner: Annotated[
        str | None,
        typer.Option(
            help="KerasTuner's algorithm: random, bayesian or hyperband "
            "(with --backend kerastuner) [default: bayesian]."
        ),
    ] = None,
    storage: Annotated[
        str | None,
        typer.Option(
            help="Optuna storage URL shared by several machines [default: study.journal]."
        ),
    ] = None,
    rope: Annotated[
        float | None,
        typer.Option(
            help="Differences smaller than this, in the metric's units, count as equivalent "
            "[default: 0.01, or 1% of the shallow model's RMSE/MAE]."
        ),
    ] = None,
    folds: Annotated[
        int | None,
        typer.Option(
            help="Folds of the finalists' paired re-training [default: 10; 5 above 5,000 "
            "rows; 3 above 50,000]."
        ),
    ] = None,
    repeats: Annotated[
        int | None,
        typer.Option(help="Repeats of those folds [default: 1]."),
    ] = None,
    max_params: Annotated[
        int | None,
        typer.Option(help="Reject models with more parameters, before training them."),
    ] = None,
    trial_timeout: Annotated[
        str | None,
        typer.Option(
            help="Stop a trial after the epoch that passes this: 90s, 10m "
            "[default: none; an eighth of --time-budget]."
        ),
    ] = None,
    workers: Annotated[
        str,
        typer.Option(
            help="Trials trained at once, each in its own process on its own cores or GPU: "
            "a number, or auto (one per core, two per GPU, as free memory allows)."
        ),
    ] = "auto",
    verbose: Verbose = 0,
    quiet: Quiet = False,
) -> None:
    """Search architectures for DATA and export the best model with a report."""
    from deepenough._console import print_summary, setup_logging
    from deepenough._native import import_backend_quietly
    from deepenough._options import SearchOptions

    setup_logging(-1 if quiet else verbose)
    options = SearchOptions.build(
        data,
        target=target,
        task=task,
        metric=metric,
        space=space,
        trials=trials,
        time_budget=time_budget,
        test_data=test_data,
        out=out,
        seed=seed,
        resume=resume,
        overwrite=overwrite,
        backend=backend,
        tuner=tuner,
        storage=storage,
        modality=modality,
        image_shape=image_shape,
        rope=rope,
        folds=folds,
        repeats=repeats,
        max_params=max_params,
        trial_timeout=trial_timeout,
        workers=workers,
        command=shlex.join(["automl", *sys.argv[1:]]),
    )
    started = _process_started()
    import_backend_quietly()
    from deepenough._console import ProgressListener
    from deepenough._pipeline import execute
    from deepenough._prepare import prepare

    prepared = prepare(options)
    with ProgressListener() as listener:
        results = execute(prepared, options, listener, started=started)
    print_summary(results, str(options.run_dir))
    if results.status == "interrupted":
        raise typer.Exit(EXIT_INTERRUPTED)


def _process_started() -> float:
    """When this command started, on the `time.monotonic` clock: --time-budget bounds
    the whole command, Python's and TensorFlow's start-up included."""
    import psutil

    age = max(time.time() - psutil.Process().create_time(), 0.0)
    return time.monotonic() - age


@app.command()
@_user_errors_exit_2
def predict(
    model: Annotated[Path, typer.Argument(help="best_model.keras from a run.", show_default=False)],
    data: Annotated[Path, typer.Argument(help="CSV with the model's columns.", show_default=False)],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Output CSV [default: standard output].")
    ] = None,
    proba: Annotated[bool, typer.Option(help="Add one probability column per class.")] = False,
    allow_unseen: Annotated[
        bool, typer.Option(help="Treat unknown categories as one unknown category, not an error.")
    ] = False,
    verbose: Verbose = 0,
    quiet: Quiet = False,
) -> None:
    """Predict DATA with an exported model; writes one row per input row."""
    from deepenough._console import setup_logging
    from deepenough._native import import_backend_quietly

    setup_logging(-1 if quiet else verbose)
    from deepenough._predict import load_exported_model, predictions_table, write_table
    from deepenough.data import read_csv

    if output is not None and output.resolve() == data.resolve():
        from deepenough.errors import UserError

        raise UserError(f"-o {output} would overwrite the input", fix="Choose another output file.")
    frame = read_csv(data)
    import_backend_quietly()
    exported = load_exported_model(model)
    table = predictions_table(
        exported, frame, proba=proba, allow_unseen=allow_unseen, source=data.name
    )
    write_table(table, output)


@app.command()
@_user_errors_exit_2
def report(
    run_dir: Annotated[Path, typer.Argument(help="A run directory.", show_default=False)],
) -> None:
    """Re-render report.html and leaderboard.csv of RUN_DIR from its results.json."""
    from deepenough._console import console
    from deepenough._predict import rerender_report

    path = rerender_report(run_dir)
    console.print(f"wrote {path}")


spaces_app = typer.Typer(help="List and show the built-in search spaces.", no_args_is_help=True)
app.add_typer(spaces_app, name="spaces")


@spaces_app.command("list")
@_user_errors_exit_2
def spaces_list() -> None:
    """List the built-in search spaces with their families."""
    import yaml

    from deepenough._console import stdout
    from deepenough.spaces import builtin_spaces, resolve_space

    for name in builtin_spaces():
        raw = yaml.safe_load(resolve_space(name)[1])
        families = ", ".join(raw.get("families", {}))
        stdout.print(f"[bold]{name}[/bold]  {raw.get('description', '')}")
        stdout.print(f"  families: {families}")


@spaces_app.command("show")
@_user_errors_exit_2
def spaces_show(
    name: Annotated[str, typer.Argument(help="A built-in space name or a YAML file.")],
) -> None:
    """Print a search space's YAML (copy it to start your own)."""
    from deepenough.spaces import resolve_space

    sys.stdout.write(resolve_space(name)[1])


def main() -> None:
    app()
