"""Training scorers on labelled data: training tables, supervised fitting, fine-tuning.

``sources`` reads ``KIND:PATH`` specs (NewsMTSC, FrAC, Narrative Frames, gold codings) into
training tables; ``fit`` trains the supervised scorers with grouped cross-validation;
``finetune`` fine-tunes a transformer classifier for the transformer scorer.

Sits above :mod:`framelens.scorers` (it trains them) and below :mod:`framelens.validation`
(whose report trains the supervised scorer it measures).
"""
