"""results.json assembled from a run's parts: the trials, the verdict, then the export."""

from __future__ import annotations

from dataclasses import replace

from deepenough._manifest import manifest
from deepenough._options import SearchOptions
from deepenough._prepare import Prepared
from deepenough.backends import TrialResult
from deepenough.export import ExportReport
from deepenough.models import FAMILIES
from deepenough.report import parameter_importance
from deepenough.results import Best, Export, MetricInfo, Results, RunStatus, SpaceInfo
from deepenough.verdict import Verdict


def search_results(
    prepared: Prepared,
    options: SearchOptions,
    trials: list[TrialResult],
    verdict: Verdict | None,
    status: RunStatus,
    stop_reason: str,
    hardware: tuple[int, tuple[str, ...]] = (1, ()),
) -> Results:
    """results.json without the export and test scores, which come after the refit;
    `hardware`: the workers and the devices they trained on."""
    dataset, metric, space = prepared.dataset, prepared.metric, prepared.space
    records = tuple(t.to_record() for t in sorted(trials, key=lambda t: t.number))
    return Results(
        status=status if verdict else "failed",
        stop_reason=stop_reason,
        task=dataset.spec.task,
        target=dataset.spec.target,
        metric=MetricInfo(name=metric.name, direction=metric.direction),
        classes=tuple(dataset.spec.classes),
        space=SpaceInfo(
            source=space.source,
            families=tuple(sorted(space.families)),
            shallow_max_depth=space.shallow_max_depth,
            architecture_types={
                name: FAMILIES[name].ARCHITECTURE_TYPE for name in sorted(space.families)
            },
        ),
        backend=options.backend,
        trials=records,
        best=_best(verdict),
        verdict=verdict.evidence if verdict else None,
        importance=parameter_importance(records, metric.direction),
        data=replace(dataset.profile, source=prepared.source),
        manifest=manifest(
            options.seed,
            options.command,
            prepared.data_hash,
            requested_trials=options.trials,
            workers=hardware[0],
            devices=hardware[1],
        ),
    )


def with_export(
    results: Results, verdict: Verdict, export: ExportReport, file: str, wall_seconds: float
) -> Results:
    """`results` with the exported trial, its test scores and the run's wall time."""
    return replace(
        results,
        export=Export(
            trial=verdict.export.number,
            reason=verdict.reason,
            file=file,
            epochs=export.epochs,
            fit_seconds=round(export.fit_seconds, 4),
        ),
        test=export.test,
        test_predictions=export.test_predictions,
        manifest=replace(results.manifest, wall_seconds=round(wall_seconds, 2)),
    )


def _best(verdict: Verdict | None) -> Best | None:
    """The exported trial: its validation score and, if re-trained, its mean paired score."""
    if verdict is None:
        return None
    exported = verdict.export
    finalist = verdict.evidence.finalist(exported.depth_class or "")
    return Best(
        trial=exported.number,
        value=exported.value,
        paired_mean=finalist.mean if finalist else None,
    )
