from pathlib import Path

import pytest

from deepenough._rundir import open_run_directory
from deepenough.errors import RunDirectoryError


def test_new_directory_is_created(tmp_path: Path) -> None:
    open_run_directory(tmp_path / "a" / "b", resume=False, overwrite=False).close()
    assert (tmp_path / "a" / "b").is_dir()


def test_one_search_at_a_time_holds_a_run_directory(tmp_path: Path) -> None:
    lock = open_run_directory(tmp_path, resume=False, overwrite=False)
    (tmp_path / "study.journal").write_text("")
    with pytest.raises(RunDirectoryError, match="Another search is running"):
        open_run_directory(tmp_path, resume=False, overwrite=True)
    assert (tmp_path / "study.journal").exists()  # the running search's files are kept
    lock.close()
    open_run_directory(tmp_path, resume=True, overwrite=False).close()


def test_a_folder_with_other_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "thesis.docx").write_text("precious")
    with pytest.raises(RunDirectoryError, match="not a run directory"):
        open_run_directory(tmp_path, resume=False, overwrite=True)
    assert (tmp_path / "thesis.docx").read_text() == "precious"


def test_an_earlier_run_needs_resume_or_overwrite(tmp_path: Path) -> None:
    (tmp_path / "results.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(RunDirectoryError, match=r"already holds a run.*--resume.*--overwrite"):
        open_run_directory(tmp_path, resume=False, overwrite=False)
    open_run_directory(tmp_path, resume=True, overwrite=False).close()
    assert (tmp_path / "results.json").exists()
    open_run_directory(tmp_path, resume=False, overwrite=True).close()
    assert not (tmp_path / "results.json").exists()
    assert (tmp_path / "notes.txt").exists()  # only the run's own files are removed


def test_resume_needs_a_run(tmp_path: Path) -> None:
    with pytest.raises(RunDirectoryError, match="no run to resume"):
        open_run_directory(tmp_path / "new", resume=True, overwrite=False)
    assert not (tmp_path / "new").exists()


def test_a_file_is_not_a_directory(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    with pytest.raises(RunDirectoryError, match="is a file"):
        open_run_directory(tmp_path / "f", resume=False, overwrite=False)


def test_a_kerastuner_run_is_a_run_and_overwrite_removes_its_state(tmp_path: Path) -> None:
    (tmp_path / "kerastuner" / "trial_0000").mkdir(parents=True)
    (tmp_path / "kerastuner" / "oracle.json").write_text("{}")
    with pytest.raises(RunDirectoryError, match="already holds a run"):
        open_run_directory(tmp_path, resume=False, overwrite=False)
    open_run_directory(tmp_path, resume=False, overwrite=True).close()
    assert not (tmp_path / "kerastuner").exists()
