"""The package list in pyproject.toml: a subpackage missing there is missing from wheels."""

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_listed_for_the_wheel() -> None:
    listed = set(
        tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    source = REPO / "src"
    found = {
        ".".join(init.parent.relative_to(source).parts)
        for init in source.glob("deepenough/**/__init__.py")
    }
    assert found <= listed, f"add {sorted(found - listed)} to [tool.setuptools] packages"
