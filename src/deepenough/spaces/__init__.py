"""Search spaces: declarative YAML over families, depth, width and training settings."""

from deepenough.spaces._load import builtin_spaces, load_space, parse_space, resolve_space
from deepenough.spaces._params import (
    CategoricalParam,
    FixedParam,
    FloatParam,
    IntParam,
    Param,
)
from deepenough.spaces._rules import TRAINING_RULES, FamilySchema, ParamRule
from deepenough.spaces._space import Config, FamilySpace, SearchSpace

__all__ = [
    "TRAINING_RULES",
    "CategoricalParam",
    "Config",
    "FamilySchema",
    "FamilySpace",
    "FixedParam",
    "FloatParam",
    "IntParam",
    "Param",
    "ParamRule",
    "SearchSpace",
    "builtin_spaces",
    "load_space",
    "parse_space",
    "resolve_space",
]
