"""Every depth class gets its reference config and its minimum share of the trials."""

from collections import Counter
from dataclasses import replace

import pytest

from deepenough import models
from deepenough.backends import TrialResult
from deepenough.spaces import Config, FloatParam, IntParam, load_space
from deepenough.verdict import DepthPlan
from deepenough.verdict._plan import LINEAR_LEARNING_RATE, LINEAR_SHARE


@pytest.fixture
def tabular_space():
    return load_space("default", models.catalog()).for_modality("tabular")


def simulate(
    plan: DepthPlan, sampled: Config, n: int, score=lambda config: 0.5
) -> list[TrialResult]:
    """A search whose sampler, left free, always proposes `sampled`; `score` gives each
    trial's validation value."""
    space, finished = plan.space, []
    for _ in range(n):
        fixed = plan(finished)
        config = fixed or sampled
        assert set(config.hyperparameters) <= set(space.families[config.family].hyperparameters)
        depth = models.FAMILIES[config.family].depth(config.hyperparameters)
        finished.append(
            TrialResult(
                len(finished), config, "complete", depth, space.depth_class(depth), score(config)
            )
        )
    return finished


def test_references_come_first_one_per_class(tabular_space) -> None:
    plan = DepthPlan(tabular_space, seed=0)
    assert plan.classes == ("linear", "shallow", "deep")
    finished = simulate(plan, Config("mlp", {"depth": 5}, {}), 3)
    assert [t.depth_class for t in finished] == ["linear", "shallow", "deep"]
    linear = plan.reference("linear")
    assert linear.family == "mlp" and linear.hyperparameters["depth"] == 0
    assert set(linear.hyperparameters) == set(tabular_space.families["mlp"].hyperparameters)
    assert set(linear.training) == set(tabular_space.training)
    assert linear.training["learning_rate"] == LINEAR_LEARNING_RATE  # convex: larger steps
    assert plan.reference("shallow").hyperparameters["depth"] == 2
    assert models.depth(plan.reference("deep")) == 4


def test_references_start_from_the_familys_starting_point_the_space_allows(tabular_space) -> None:
    shallow = DepthPlan(tabular_space, seed=0).reference("shallow")
    known = models.starting_point("mlp", "tabular")
    assert shallow.hyperparameters["dropout"] == known["dropout"] > 0
    assert shallow.hyperparameters["width"] == known["width"]
    assert shallow.training["learning_rate"] == 1e-3  # the training defaults
    assert shallow.training["batch_size"] == 64
    narrow = tabular_space.families["mlp"].hyperparameters | {
        "width": IntParam(10, 20),
        "dropout": FloatParam(0.2, 0.4),
    }
    space = replace(
        tabular_space,
        families={"mlp": replace(tabular_space.families["mlp"], hyperparameters=narrow)},
    )
    outside = DepthPlan(space, seed=0).reference("shallow")  # outside the space: the middle
    assert outside.hyperparameters["width"] == 15
    assert outside.hyperparameters["dropout"] == pytest.approx(0.3)


def test_the_starting_point_depends_on_the_modality() -> None:
    space = load_space("default", models.catalog()).for_modality("sequence")
    first_cnn = DepthPlan(space, seed=0, modality="sequence").start("cnn")
    assert first_cnn.hyperparameters == {**models.starting_point("cnn", "sequence")}
    assert first_cnn.hyperparameters["kernel_size"] == 8  # the FCN's long first kernel
    assert models.starting_point("mlp", "sequence") != models.starting_point("mlp", "tabular")


def test_a_sampler_that_only_likes_deep_still_searches_shallow_as_much(tabular_space) -> None:
    finished = simulate(DepthPlan(tabular_space, seed=1), Config("mlp", {"depth": 6}, {}), 30)
    counts = Counter(t.depth_class for t in finished)
    assert abs(counts["shallow"] - counts["deep"]) <= 1, counts
    assert counts["linear"] >= int(LINEAR_SHARE * 30), counts
    forced_families = {t.config.family for t in finished[3:] if t.depth_class == "shallow"}
    assert len(forced_families) > 1  # forced trials also explore every family of the class


def test_every_family_is_tried_at_its_starting_point_while_the_classes_are_even(
    tabular_space,
) -> None:
    plan = DepthPlan(tabular_space, seed=0)
    finished = simulate(plan, Config("mlp", {"depth": 1}, {}), 3)  # the three references
    families = list(tabular_space.families)
    assert plan(finished) == plan.start(families[1])  # mlp had its trials
    finished = simulate(plan, Config("mlp", {"depth": 1}, {}), 30)
    started = {
        t.config.family: t.config for t in finished[3:] if t.config == plan.start(t.config.family)
    }
    assert set(started) == set(families[1:])


def test_a_free_sampler_is_left_alone_while_the_classes_are_even(tabular_space) -> None:
    only_mlp = replace(tabular_space, families={"mlp": tabular_space.families["mlp"]})
    plan = DepthPlan(only_mlp, seed=0)
    finished = simulate(plan, Config("mlp", {"depth": 1}, {}), 3)  # the three references
    assert plan(finished) is None
    finished = simulate(plan, Config("mlp", {"depth": 1}, {}), 4)  # and the sampler's shallow
    assert finished[-1].config == Config("mlp", {"depth": 1}, {})
    assert plan.space.depth_class(models.depth(plan(finished))) == "deep"


def test_trials_given_to_a_class_often_tune_its_best_family_and_depth(tabular_space) -> None:
    def score(config: Config) -> float:  # recursive, k = 1 (depth 2): the best shallow net
        return 0.9 if config.family == "recursive" and config.hyperparameters["k"] == 1 else 0.5

    plan = DepthPlan(tabular_space, seed=2)
    finished = simulate(plan, Config("mlp", {"depth": 6}, {}), 60, score)
    forced = [t.config for t in finished[3:] if t.depth_class == "shallow"]
    best = [c for c in forced if c.family == "recursive" and c.hyperparameters["k"] == 1]
    assert len(forced) // 4 <= len(best) < len(forced), (len(best), len(forced))


def test_classes_the_space_cannot_express_are_never_forced() -> None:
    space = load_space("default", models.catalog()).for_modality("tabular")
    only_deep = type(space)(families={"resmlp": space.families["resmlp"]}, training=space.training)
    plan = DepthPlan(only_deep, seed=0)
    assert plan.classes == ("deep",)
    assert all(
        t.depth_class == "deep" for t in simulate(plan, Config("resmlp", {"blocks": 2}, {}), 10)
    )


def test_the_plan_repeats_for_the_same_seed(tabular_space) -> None:
    one = simulate(DepthPlan(tabular_space, seed=3), Config("mlp", {"depth": 6}, {}), 20)
    two = simulate(DepthPlan(tabular_space, seed=3), Config("mlp", {"depth": 6}, {}), 20)
    assert [t.config for t in one] == [t.config for t in two]


def test_dbn_layers_put_its_trials_in_the_shallow_and_deep_classes(tabular_space) -> None:
    plan = DepthPlan(tabular_space)
    layers = {
        depth_class: sorted(c.depth for c in plan.choices[depth_class] if c.family == "dbn")
        for depth_class in ("linear", "shallow", "deep")
    }
    assert layers == {"linear": [], "shallow": [1, 2], "deep": [3, 4, 5, 6]}
