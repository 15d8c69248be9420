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


def test_non_utf8_bytes_are_read_as_windows_1252_with_a_warning(tmp_path: Path, caplog) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("name,city\nJosé,Zürich\n".encode("cp1252"))
    frame = read_csv(path)
    assert frame.iloc[0].tolist() == ["José", "Zürich"]
    assert "is not UTF-8 (line 2 holds byte 0xe9); it was read as Windows-1252" in caplog.text


def test_bytes_neither_utf8_nor_windows_1252_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(b"name,city\nJ\x81,Z\n")  # 0x81 has no character in Windows-1252
    with pytest.raises(
        DataError,
        match=r"neither UTF-8 text \(line 2 holds byte 0x81\) nor Windows-1252 text \(line 2",
    ):
        read_csv(path)


def test_utf16_with_its_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "unicode.csv"
    path.write_bytes("name\tcity\nJosé\tZürich\n".encode("utf-16"))
    assert read_csv(path).iloc[0].tolist() == ["José", "Zürich"]


def test_random_bytes_without_a_nul_are_binary(tmp_path: Path) -> None:
    path = tmp_path / "noise.csv"
    path.write_bytes(bytes(range(1, 256)) * 4)
    with pytest.raises(DataError, match="holds binary data, not CSV text"):
        read_csv(path)


def test_a_decimal_comma_is_not_forced_on_decimal_points(tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_text("a;b;label\n1.5;x;y\n2.5;z;y\n")
    frame = read_csv(path)
    assert frame["a"].tolist() == [1.5, 2.5] and frame["b"].tolist() == ["x", "z"]


def test_semicolon_delimiter_and_bom_are_read(tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_bytes("\ufeffa;b;label\n1;2;x\n3;4;y\n".encode())
    frame = read_csv(path)
    assert list(frame.columns) == ["a", "b", "label"]
    assert frame["b"].tolist() == [2, 4]
