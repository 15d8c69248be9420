"""Model builders: one module per architecture family, plus the shared feature encoder."""

from deepenough.models._family import ARCHITECTURE_TYPES, Family, PretrainingFamily
from deepenough.models._features import (
    build_encoder,
    encode,
    encoder_graph,
    feature_width,
    raw_inputs,
    vocabulary_layer_name,
)
from deepenough.models._registry import (
    FAMILIES,
    build,
    catalog,
    depth,
    depth_params,
    pretrain,
    starting_point,
    width,
)

__all__ = [
    "ARCHITECTURE_TYPES",
    "FAMILIES",
    "Family",
    "PretrainingFamily",
    "build",
    "build_encoder",
    "catalog",
    "depth",
    "depth_params",
    "encode",
    "encoder_graph",
    "feature_width",
    "pretrain",
    "raw_inputs",
    "starting_point",
    "vocabulary_layer_name",
    "width",
]
