"""A space of two families and a deterministic stand-in for training, for the backend
tests: the score follows the config, so a seeded backend repeats itself exactly."""

from deepenough.backends import Proposal, TrialResult

TWO_FAMILIES = """\
shallow_max_depth: 2
families:
  mlp:
    hyperparameters:
      depth: {type: int, low: 0, high: 4}
      width: {type: int, low: 4, high: 64, log: true}
      activation: {type: categorical, choices: [relu, tanh]}
      dropout: 0.0
  resmlp:
    hyperparameters:
      blocks: {type: int, low: 1, high: 3}
      d: {type: int, low: 8, high: 32, step: 8}
      hidden_factor: {type: float, low: 1.0, high: 2.0}
      hidden_dropout: 0.0
      residual_dropout: 0.0
      normalization: {type: categorical, choices: [batch, layer]}
training:
  learning_rate: {type: float, low: 1.0e-3, high: 3.0e-2, log: true}
  batch_size: {type: categorical, choices: [16, 32]}
  max_epochs: 9
  patience: 3
"""


def scored(proposal: Proposal) -> TrialResult:
    """The score follows the config, so that a seeded backend repeats itself exactly."""
    config = proposal.config
    params = config.hyperparameters
    depth = params.get("depth", params.get("blocks", 0) * 2)
    size = params.get("width", params.get("d", 0))
    value = round(size / 64 - abs(depth - 3) * 0.1 + config.training["learning_rate"], 6)
    epochs = int(config.training["max_epochs"])
    history = tuple(value * (epoch + 1) / epochs for epoch in range(epochs))
    for epoch, seen in enumerate(history, start=1):
        proposal.report(epoch, seen)
    return TrialResult(
        proposal.number,
        config,
        "complete",
        depth=depth,
        depth_class="linear" if depth == 0 else "shallow" if depth <= 2 else "deep",
        value=value,
        validation_loss=1 - value,
        best_epoch=epochs,
        history_train=history,
        history_validation=history,
        n_params=100 * (depth + 1) * size,
        width=size or None,
        fit_seconds=0.01,
    )
