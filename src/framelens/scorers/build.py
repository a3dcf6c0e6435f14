"""Build a scorer by name: the registry's scorer with the codebook and model it needs.

:func:`build_scorer` is what the command line, the experiment runner and the validation report
call; a supervised scorer is loaded from its verified model file
(:mod:`framelens.models.scorer_files`).
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
        ``framelens train``, checked against the codebook), and the NLI or fine-tuned model of
        ``transformer`` (a folder or hub id).
    **params
        Other settings.

    Returns
    -------
    StanceScorer or FrameScorer
    """
    if name == "supervised":
        if model is None:
            raise InputError(
                "the supervised scorer needs a trained model",
                hint="train one with `framelens train`, then pass model=MODEL.skops (--model on the "
                "command line)",
            )
        from framelens.models.scorer_files import load_scorer

        return load_scorer(model, codebook, kind=kind)
    scorer = get_scorer(kind, name, **params)
    settings = scorer.get_params(deep=False)
    if model is not None:
        if "model" not in settings:
            raise InputError(
                f"the {name} scorer takes no model",
                hint="a model (--model on the command line) applies to the transformer and "
                "supervised scorers",
            )
        scorer.set_params(model=model)
    if codebook is not None and "codebook" in settings:
        scorer.set_params(codebook=codebook)
    return scorer
