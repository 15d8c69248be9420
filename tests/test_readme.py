"""The README's commands and model snippet, exactly as written."""

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from deepenough.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"


def block_after(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\n```\w*\n(.*?)```", README.read_text(), re.DOTALL)
    assert match, f"README.md has no code block after <!-- {marker} -->"
    return match.group(1)


def test_the_two_commands_install_then_search_and_install_then_test() -> None:
    run, test = block_after("run-command").strip(), block_after("test-command").strip()
    assert "automl search examples/penguins.csv" in run and "pip install -e ." in run
    assert test.endswith("pytest") and 'pip install -e ".[test]"' in test
    ci = (README.parent / ".ci" / "run").read_text()
    assert "readme_command test-command" in ci


@pytest.mark.slow
def test_the_model_snippet_runs_as_written(penguins_run: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    done = subprocess.run(
        [sys.executable, "-c", block_after("model-snippet")],
        cwd=penguins_run,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    printed = next(line for line in done.stdout.splitlines() if line.startswith("['"))
    printed_labels = re.findall(r"'([^']+)'", printed.split("]")[0])
    expected = tmp_path / "p.csv"
    model = penguins_run / "reports/penguins/best_model.keras"
    data = penguins_run / "examples/penguins.csv"
    CliRunner().invoke(app, ["predict", str(model), str(data), "-o", str(expected)])
    assert printed_labels == pd.read_csv(expected)["prediction"].head(5).tolist()
