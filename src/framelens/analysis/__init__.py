"""From sentence scores to findings: aggregation, group comparison, keyness, trends.

``aggregate`` turns sentence stance and frames into article scores with their evidence
sentences; ``groups`` gives group means with bootstrap intervals; ``significance`` omnibus and
pairwise tests with effect sizes and corrections; ``trends`` means per period; ``keyness`` the
words that set a group apart; ``compare`` runs all of them for a study, skipping (with a note)
each part the data cannot support.

May import the shared leaves and the layers below it (codebook, text, datasets, models,
scorers, training); plots, runs and the command line build on it.
"""
