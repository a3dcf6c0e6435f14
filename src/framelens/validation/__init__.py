"""Validation against human coding: coding sheets, reliability, metrics, prevalence, report.

``coding_sheets`` samples units for coders and reads their sheets back as gold codings;
``reliability`` measures agreement between coders (Krippendorff's alpha, kappa);
``metrics`` scores a scorer against gold (sentence and article level); ``prevalence`` corrects
a share for a scorer's known errors; ``report`` builds the validation table of every scorer.

May import every layer below it (up to :mod:`framelens.analysis`); plots, runs and the
command line build on it.
"""
