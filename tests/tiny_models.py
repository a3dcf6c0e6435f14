"""Tiny Hugging Face models built locally, so transformer tests and benchmarks run offline.

The vocabulary is a WordPiece trained (with the ``tokenizers`` library) on the seed articles and
the NewsMTSC dev sentences, so real corpus text tokenises into real word pieces rather than
``[UNK]``. The weights are random: the models exercise the whole pipeline (loading, batching,
truncation, caching, fine-tuning), not the quality of zero-shot predictions.
"""

from __future__ import annotations

import json
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SEED_RAW = REPO_ROOT / "corpora" / "pakistan_russia" / "raw"
NEWSMTSC = REPO_ROOT.parent / "shared" / "data" / "newsmtsc"

#: The label map of an NLI model (the order of MNLI-trained models).
NLI_LABELS = {0: "entailment", 1: "neutral", 2: "contradiction"}
SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def corpus_texts(newsmtsc_dir: Path | None = None) -> list[str]:
    """Lines of the seed articles plus the NewsMTSC dev sentences (when the data is present)."""
    texts = [
        line.strip()
        for path in sorted(SEED_RAW.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    newsmtsc_dir = NEWSMTSC if newsmtsc_dir is None else Path(newsmtsc_dir)
    for name in ("rw_dev.jsonl", "mt_dev.jsonl"):
        path = newsmtsc_dir / name
        if path.is_file():
            with path.open(encoding="utf-8") as handle:
                texts.extend(
                    json.loads(line)["sentence_normalized"] for line in handle if line.strip()
                )
    return texts


def build_tiny_bert(
    directory,
    *,
    labels: dict[int, str] | None = None,
    hidden_size: int = 32,
    layers: int = 2,
    heads: int = 2,
    vocab_size: int = 3000,
    seed: int = 0,
    initializer_range: float = 0.02,
    texts: list[str] | None = None,
) -> Path:
    """Save a randomly initialised BERT sequence classifier and its tokenizer in ``directory``.

    Parameters
    ----------
    directory : str or Path
        Where to save (created if missing): ``config.json``, ``model.safetensors`` and the
        tokenizer files.
    labels : dict of int to str, optional
        ``id2label``; default :data:`NLI_LABELS`.
    hidden_size, layers, heads : int
        Size of the model. BERT-base is 768, 12, 12.
    vocab_size : int
        Upper bound of the WordPiece vocabulary trained on ``texts``.
    seed : int
        Seed of the random weights.
    initializer_range : float
        Standard deviation of the random weights. BERT's 0.02 gives near-uniform outputs;
        tests use larger values so that different inputs get visibly different probabilities.
    texts : list of str, optional
        Training text for the vocabulary; default :func:`corpus_texts`.

    Returns
    -------
    Path
        ``directory``.
    """
    import torch
    from tokenizers import BertWordPieceTokenizer
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    labels = NLI_LABELS if labels is None else labels
    wordpiece = BertWordPieceTokenizer(lowercase=True)
    wordpiece.train_from_iterator(
        texts if texts is not None else corpus_texts(),
        vocab_size=vocab_size,
        min_frequency=1,
        special_tokens=SPECIAL_TOKENS,
        show_progress=False,
    )
    tokenizer = BertTokenizer(vocab=wordpiece.get_vocab(), do_lower_case=True)
    tokenizer.model_max_length = 512
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=hidden_size,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        intermediate_size=4 * hidden_size,
        max_position_embeddings=512,
        id2label=dict(labels),
        label2id={v: k for k, v in labels.items()},
        pad_token_id=tokenizer.pad_token_id,
        initializer_range=initializer_range,
    )
    torch.manual_seed(seed)
    model = BertForSequenceClassification(config)
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def tiny_nli_dir(tmp_path_factory) -> Path:
    """Build (once per test session) a tiny random NLI model with visibly varied outputs.

    Test modules wrap this in their own session fixture; the directory itself is the memo, so
    every module shares one build.
    """
    directory = tmp_path_factory.getbasetemp() / "tiny_nli"
    if not (directory / "model.safetensors").is_file():
        build_tiny_bert(directory, initializer_range=0.5)
    return directory
