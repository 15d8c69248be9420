import numpy as np

from deepenough.data._split import split_indices


def test_stratified_split_partitions_rows_and_keeps_class_shares_in_every_set() -> None:
    y = np.random.default_rng(0).permutation(np.repeat([0, 1], 50))
    train, validation, test = split_indices(y, ("a", "b"), "classification", 0, with_test=True)
    np.testing.assert_array_equal(np.sort(np.concatenate([train, validation, test])), range(100))
    counts = [np.bincount(y[rows], minlength=2).tolist() for rows in (train, validation, test)]
    assert counts == [[30, 30], [10, 10], [10, 10]]


def test_without_a_test_set_rows_split_80_20_in_proportion() -> None:
    y = np.random.default_rng(1).permutation(np.repeat([0, 1], [60, 40]))
    train, validation, test = split_indices(y, ("a", "b"), "classification", 0, with_test=False)
    assert len(test) == 0
    assert np.bincount(y[train]).tolist() == [48, 32]
    assert np.bincount(y[validation]).tolist() == [12, 8]
