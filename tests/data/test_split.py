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


def test_a_file_under_the_threshold_keeps_no_test_set_and_every_row_trains(
    classification_frame,
) -> None:
    from deepenough.data import NO_TEST_BELOW_ROWS, load_dataset

    small = classification_frame.head(NO_TEST_BELOW_ROWS - 1)
    dataset = load_dataset(small)
    assert len(dataset.test.target) == 0
    assert len(dataset.train.target) + len(dataset.validation.target) == len(small)
    kept = load_dataset(classification_frame.head(NO_TEST_BELOW_ROWS))
    assert len(kept.test.target) == NO_TEST_BELOW_ROWS // 5


def test_fewer_rows_mean_more_folds_to_score_each_trial() -> None:
    from deepenough.data import CROSS_VALIDATE_BELOW_ROWS, search_folds

    assert search_folds(36) == 5
    assert search_folds(500) == 3
    assert search_folds(CROSS_VALIDATE_BELOW_ROWS - 1) == 3
    assert search_folds(CROSS_VALIDATE_BELOW_ROWS) == 0
