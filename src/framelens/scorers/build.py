"""Build a scorer by name: the registry's scorer with the codebook and model it needs.

:func:`build_scorer` is what the command line, the experiment runner and the validation report
call; a trained scorer (``supervised``, ``encoder-supervised``) is loaded from its verified model
file (:mod:`framelens.models.scorer_files`); ``encoder-supervised`` without a model file loads
the one shipped with framelens.
"""

from __future__ import annotations

from framelens.errors import InputError
from framelens.scorers.base import get_scorer


def build_scorer(kind: str, name: str, codebook=None, *, model=None, **params):
    """Build a registered scorer, handing it the codebook if it takes one.

    Parameters
    ----------
    kind : {"stance", "frame"}
    name : str
        Registered scorer name; an unknown name raises :class:`InputError` listing the known ones.
    codebook : Codebook, optional
        Passed as the scorer's ``codebook`` setting when it has one.
    model : str or Path, optional
        A trained model: required by ``supervised`` (a ``.skops`` file from
        ``framelens train``, checked against the codebook); for ``encoder-supervised`` a
        ``.skops`` file from ``framelens train --scorer encoder-supervised`` (default: the
        model shipped with framelens); the NLI or fine-tuned model of ``transformer`` (a folder
        or hub id).
    **params
        Other settings (for a loaded ``encoder-supervised`` model: ``device``, ``batch_size``,
        ``cache_dir``).

    Returns
    -------
    StanceScorer or FrameScorer
    """
    if name == "encoder-supervised" and kind == "frame" and model is None:
        from framelens.scorers.encoder_heads import shipped_model

        model = shipped_model()
    if name in ("supervised", "encoder-supervised"):
        from framelens.models.scorer_files import load_scorer, read_metadata, score_options

        if model is None:
            raise InputError(
                f"the {name} {kind} scorer needs a trained model",
                hint=f"train one with `framelens train --scorer {name} --task {kind}`, then use it with "
                f"`framelens score ... {score_options(kind, name)}` (model=MODEL.skops in Python)",
            )

        scorer = load_scorer(model, codebook, kind=kind, scorer=name)
        # Which file it came from, by its verified hash (a run's manifest records it). Private:
        # not a setting, and not learned state (the output cache keys on that).
        scorer._model_file = {
            "model_file": str(model),
            "sha256": read_metadata(model)["model_sha256"],
        }
        if scorer.name != name:
            raise InputError(
                f"the model file holds the {scorer.name} scorer, not {name}",
                source=model,
                hint=f"use it with `framelens score ... {score_options(kind, scorer.name, model)}`",
            )
        runtime = {"device", "batch_size", "cache_dir"} & set(scorer.get_params(deep=False))
        unknown = sorted(set(params) - runtime)
        if unknown:
            raise InputError(
                f"a trained {name} scorer takes no setting {', '.join(unknown)}",
                hint="settings are fixed when it is trained (framelens train)",
            )
        return scorer.set_params(**params) if params else scorer
    scorer = get_scorer(kind, name, **params)
    settings = scorer.get_params(deep=False)
    if model is not None:
        if "model" not in settings:
            raise InputError(
                f"the {name} scorer takes no model",
                hint="a model (--model, or --frame-model for the frame scorer, on the command "
                "line) applies to the transformer, supervised and encoder-supervised scorers",
            )
        scorer.set_params(model=model)
    if codebook is not None and "codebook" in settings:
        scorer.set_params(codebook=codebook)
    return scorer
