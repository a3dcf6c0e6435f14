"""Write the example notebooks from the cell sources below (committed without outputs).

Run ``python experiments/notebooks/build_notebooks.py`` after editing a cell; ``make test``
executes every notebook top to bottom (tests/test_notebooks.py).
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent
CORPUS = "../../corpora/pakistan_russia"

QUICKSTART = [
    new_markdown_cell(
        "# framelens quickstart\n\n"
        "Load the shipped corpus, see what cleaning removed, find target mentions, score "
        "stance and frames, and trace an article-level number back to its evidence sentences."
    ),
    new_code_cell(
        "from framelens import article_scores, build_scorer, find_mentions, ingest, load_codebook\n\n"
        f"tables = ingest('{CORPUS}')\n"
        "tables.articles[['article_id', 'outlet', 'outlet_type', 'date', 'kept_chars', "
        "'removed_chars']]"
    ),
    new_markdown_cell("Every removed span is recorded with its reason and offsets:"),
    new_code_cell("tables.removed.groupby('reason').size().sort_values(ascending=False)"),
    new_code_cell(
        "codebook = load_codebook()  # the shipped default: us, russia, india, china\n"
        "mentions = find_mentions(tables.sentences, codebook)\n"
        "mentions.groupby(['article_id', 'target']).size().unstack(fill_value=0)"
    ),
    new_markdown_cell(
        "Mentions inside a proper name (the TAPI pipeline's *India*) are flagged `in_name` "
        "and are not stance evidence:"
    ),
    new_code_cell("mentions[mentions['in_name']][['article_id', 'sent_id', 'target', 'matched']]"),
    new_code_cell(
        "stance = build_scorer('stance', 'lexicon', codebook)"
        ".score_stance(tables.sentences, mentions)\n"
        "frames = build_scorer('frame', 'dictionary', codebook)"
        ".score_frames(tables.sentences)\n"
        "scores = article_scores(stance, frames, tables.sentences, mentions)\n"
        "scores.pivot_table(index='article_id', columns=['kind', 'name'], values='value')"
        ".round(2)"
    ),
    new_markdown_cell("The evidence behind one number: article 001's stance toward the US."),
    new_code_cell(
        "row = scores.query(\"article_id == '001' and name == 'us'\").iloc[0]\n"
        "print(f\"value {row['value']:+.2f} from {row['n_evidence']} sentences\")\n"
        "for sentence in row['evidence_text'].split(' | '):\n"
        "    print('-', sentence)"
    ),
]

COMPARISON = [
    new_markdown_cell(
        "# Outlet comparison\n\n"
        "Reproduces the shipped study's comparison from the Python API: the same functions "
        "`framelens run experiments/pakistan_russia.toml` composes, with bootstrap intervals, "
        "tests that refuse groups of one article, keyness, and the paper figures."
    ),
    new_code_cell(
        "import matplotlib\n\n"
        "matplotlib.use('Agg')\n"
        "from framelens import (\n"
        "    find_mentions, group_means, ingest, keyness, load_codebook, load_experiment,\n"
        "    pairwise_tests, plots,\n"
        ")\n\n"
        "config = load_experiment('../pakistan_russia.toml')\n"
        "tables = ingest(config.corpus, clean=config.cleaning)\n"
        "codebook = load_codebook(config.codebook)\n"
        "mentions = find_mentions(tables.sentences, codebook)"
    ),
    new_code_cell(
        "from framelens import article_scores, build_scorer\n"
        "stance = build_scorer('stance', 'lexicon', codebook)"
        ".score_stance(tables.sentences, mentions)\n"
        "frames = build_scorer('frame', 'dictionary', codebook)"
        ".score_frames(tables.sentences)\n"
        "scores = article_scores(stance, frames, tables.sentences, mentions)"
    ),
    new_code_cell(
        "means = group_means(scores, tables.articles, kind='stance', "
        "group='outlet_type', n_boot=500, seed=config.seed)\n"
        "means"
    ),
    new_markdown_cell(
        "Groups with one article get no interval and no test: the note column says so."
    ),
    new_code_cell(
        "pairwise_tests(scores, tables.articles, kind='frame', group='outlet_type', "
        "seed=config.seed)"
    ),
    new_code_cell("keys = keyness(tables.articles, group='outlet_type', top_k=10)\nkeys.head(15)"),
    new_code_cell(
        "fig = plots.stance_heatmap(scores, tables.articles, group='outlet_type', "
        "n_boot=500, seed=config.seed)\n"
        "fig"
    ),
    new_code_cell(
        "plots.frame_composition(scores, tables.articles, group='outlet_type', "
        "n_boot=500, seed=config.seed)"
    ),
    new_code_cell("plots.keyness_plot(keys, top_k=8)"),
]

VALIDATION = [
    new_markdown_cell(
        "# Validation against human coding\n\n"
        "Two coders coded every sentence of the seed corpus independently "
        "(`corpora/pakistan_russia/annotations/`). First their agreement, then each scorer "
        "against their consensus."
    ),
    new_code_cell(
        "from pathlib import Path\n"
        "from framelens import agreement, read_gold\n"
        "import pandas as pd\n\n"
        "annotations = Path('../../corpora/pakistan_russia/annotations')\n"
        "gold = read_gold(annotations / 'gold.csv')  # both coders, one row per judgement\n"
        "gold.groupby(['coder', 'task']).size()"
    ),
    new_code_cell("agreement(gold, n_boot=200, seed=0).round(3)"),
    new_code_cell(
        "from framelens import build_scorer, find_mentions, ingest, load_codebook, validation_table\n\n"
        "tables = ingest('../../corpora/pakistan_russia')\n"
        "codebook = load_codebook()\n"
        "mentions = find_mentions(tables.sentences, codebook)\n"
        "results = {\n"
        "    'lexicon': build_scorer('stance', 'lexicon', codebook)"
        ".score_stance(tables.sentences, mentions),\n"
        "    'dictionary': build_scorer('frame', 'dictionary', codebook)"
        ".score_frames(tables.sentences),\n"
        "}\n"
        "validation_table(results, gold).round(3)"
    ),
]


def write(name: str, cells) -> None:
    notebook = new_notebook(cells=cells)
    for number, cell in enumerate(notebook.cells):
        cell.id = f"cell-{number:02d}"  # fixed ids: rebuilding gives the same bytes
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, HERE / name)


if __name__ == "__main__":
    write("01_quickstart.ipynb", QUICKSTART)
    write("02_outlet_comparison.ipynb", COMPARISON)
    write("03_validation.ipynb", VALIDATION)
