# The two commands: `make run` (the shipped study) and `make test` (the whole suite).
# Both create .venv when it is missing and install framelens with its extras into it.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# A CPU build of torch; a plain `torch` requirement would pull a multi-GB CUDA build.
TORCH_SPEC ?= torch==2.13.0
STAMP := $(VENV)/.framelens-installed
EXPERIMENT ?= experiments/pakistan_russia.toml

.PHONY: run test install lint benchmarks validation encoder-frame-model clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH_SPEC)"
	$(BIN)/python -m pip install --quiet -e ".[transformers,pretrained,notebooks,distributed,dev]"
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/framelens run $(EXPERIMENT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

BENCHMARKS := ingest_speed scoring_speed newsmtsc_dev supervised_dev transformer_speed scale encoder_frames
benchmarks: $(STAMP)
	for script in $(BENCHMARKS); do $(BIN)/python benchmarks/$$script.py || exit 1; done

# The README's validation table, regenerated from the current code and data.
SHARED_DATA ?= ../shared/data
validation: $(STAMP)
	$(BIN)/framelens validate --data $(SHARED_DATA) --train-supervised --readme README.md \
		--cache-dir .framelens_cache/encoder

# The encoder-supervised frame model shipped in the package: logistic heads on minilm, trained on
# the public FrAC and Narrative Frames data plus the codebook's exemplars (never on the seed
# corpus's gold codings, which `framelens validate` measures it on). Rebuild it after changing
# the default codebook or the framelens version (a model file is tied to both). Embeddings are
# cached in .framelens_cache/encoder, so a rebuild after the first costs seconds.
ENCODER_FRAME_MODEL := src/framelens/data/models/encoder_frames/encoder_frames.skops
encoder-frame-model: $(STAMP)
	$(BIN)/framelens train --scorer encoder-supervised --task frame --device cpu \
		--data frac:$(SHARED_DATA)/frac_frames/gold_standard_single_label_all.csv \
		--data narrative:$(SHARED_DATA)/narrative_frames/articles_metadata.tsv \
		--cache-dir .framelens_cache/encoder -o $(ENCODER_FRAME_MODEL)

clean:
	rm -rf results .pytest_cache
