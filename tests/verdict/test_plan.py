"""Every depth class gets its reference config and its minimum share of the trials."""

from collections import Counter

import pytest

from deepenough import models
from deepenough.backends import TrialResult
from deepenough.spaces import Config, load_space
from deepenough.verdict import DepthPlan
from deepenough.verdict._plan import MIN_SHARE


@pytest.fixture
def tabular_space():
    return load_space("default", models.catalog()).for_modality("tabular")


def simulate(plan: DepthPlan, sampled: Config, n: int) -> list[TrialResult]:
    """A search whose sampler, left free, always proposes `sampled`."""
    space, finished = plan.space, []
    for _ in range(n):
        fixed = plan(finished)
        config = fixed or sampled
        assert set(config.hyperparameters) <= set(space.families[config.family].hyperparameters)
        depth = models.FAMILIES[config.family].depth(config.hyperparameters)
        finished.append(
            TrialResult(len(finished), config, "complete", depth, space.depth_class(depth), 0.5)
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
    assert plan.reference("shallow").hyperparameters["depth"] == 2
    assert models.depth(plan.reference("deep")) == 4


def test_a_sampler_that_only_likes_deep_still_gives_every_class_its_share(tabular_space) -> None:
    finished = simulate(DepthPlan(tabular_space, seed=1), Config("mlp", {"depth": 6}, {}), 30)
    counts = Counter(t.depth_class for t in finished)
    for depth_class, share in MIN_SHARE.items():
        assert counts[depth_class] >= int(share * 30), counts
    forced_families = {t.config.family for t in finished[3:] if t.depth_class == "shallow"}
    assert len(forced_families) > 1  # forced trials draw from every family of the class


def test_a_free_sampler_is_left_alone_once_shares_are_met(tabular_space) -> None:
    plan = DepthPlan(tabular_space, seed=0)
    finished = simulate(
        plan, Config("mlp", {"depth": 1}, {}), 4
    )  # three references, then the sampler's
    assert finished[-1].config == Config("mlp", {"depth": 1}, {})
    assert plan(finished) is None


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
