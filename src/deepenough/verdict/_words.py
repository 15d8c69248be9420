"""The verdict in words: a headline and a paragraph of plain sentences."""

from __future__ import annotations

from deepenough.results import VerdictEvidence


def headline(
    evidence: VerdictEvidence,
    missing: list[str],
    settle: tuple[int, int] | None,
    shallow_max_depth: int,
) -> str:
    """The decision in a few words; when inconclusive, why, and what would settle it."""
    if evidence.decision == "shallow":
        return "shallow suffices"
    if evidence.decision == "deep":
        return "deep needed"
    if missing:
        absent = " and ".join(missing)
        return (
            f"inconclusive: no {absent} config was scored (shallow means 1 to "
            f"{shallow_max_depth} hidden layers)"
        )
    done = evidence.paired_folds
    if done == 0:
        return "inconclusive: interrupted before the finalists were re-trained"
    if evidence.probabilities is None:
        return "inconclusive: one paired fold gives no spread to judge by; allow more time"
    if settle is None:
        return (
            "inconclusive: the two differ by about the ROPE, and more folds would likely "
            "not settle it"
        )
    folds, repeats = settle
    repeated = f" repeated {repeats} times" if repeats > 1 else ""
    return (
        f"inconclusive: {folds}-fold cross-validation{repeated} (instead of "
        f"{done} paired folds) would likely settle it"
    )


def explain(evidence: VerdictEvidence, metric_name: str) -> str:
    """The decision and its evidence in plain sentences."""
    parts = [evidence.headline[0].upper() + evidence.headline[1:] + "."]
    against = evidence.against or "shallow"  # the linear finalist when it did better
    shallow, deep = evidence.finalist(against), evidence.deep
    p, interval = evidence.probabilities, evidence.interval
    if p and interval and shallow and deep and evidence.difference is not None:
        lo, hi = interval
        parts.append(
            f"On {evidence.paired_folds} paired folds the deep finalist ({deep.family}, "
            f"depth {deep.depth}) scores {deep.mean:.4g} {metric_name} and the "
            f"{against} one ({shallow.family}, depth {shallow.depth}) "
            f"{shallow.mean:.4g}: deep's "
            f"advantage is {evidence.difference:+.4g} (95% interval {lo:+.4g} to {hi:+.4g}) "
            f"against a ROPE of ±{evidence.rope.value:.4g}; P(deep better) = "
            f"{p.deep_better:.2f}, P(equivalent) = {p.equivalent:.2f}, P(shallow better) = "
            f"{p.shallow_better:.2f}."
        )
    if evidence.linear_suffices:
        parts.append("A linear model is within the ROPE of the best: no hidden layer is needed.")
    cost = evidence.cost
    if cost and cost.ratio.params:
        parts.append(
            f"Deep costs {cost.ratio.params:.3g}× the parameters and "
            f"{cost.ratio.fit_seconds or 0:.3g}× the training time of shallow."
        )
    if evidence.crossover and evidence.crossover.more_data_favours_depth:
        parts.append("Deep's advantage grows with the data: more rows would likely favour depth.")
    return " ".join(parts)
