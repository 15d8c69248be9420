from pathlib import Path

import pytest

from deepenough.data import read_csv
from deepenough.errors import DataError


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"No such file: .*nope\.csv"):
        read_csv(tmp_path / "nope.csv")


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="is a directory"):
        read_csv(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(DataError, match="is empty"):
        read_csv(path)


def test_header_only(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("a,b,c\n")
    with pytest.raises(DataError, match="no data rows"):
        read_csv(path)


def test_non_utf8_bytes(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("name,city\nJosé,Zürich\n".encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8"):
        read_csv(path)


def test_semicolon_delimiter_and_bom_are_read(tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_bytes("\ufeffa;b;label\n1;2;x\n3;4;y\n".encode())
    frame = read_csv(path)
    assert list(frame.columns) == ["a", "b", "label"]
    assert frame["b"].tolist() == [2, 4]
