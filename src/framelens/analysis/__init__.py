"""From sentence scores to findings: aggregation, group comparison, keyness, trends.

``aggregate`` turns sentence stance and frames into article scores with their evidence
sentences; ``compare`` gives group means with bootstrap intervals, omnibus and pairwise tests
with effect sizes and corrections, and trends over time; ``keyness`` finds the words that set
a group apart.

May import the shared leaves and the layers below it (codebook, text, datasets, models,
scorers, training); plots, runs and the command line build on it.
"""
