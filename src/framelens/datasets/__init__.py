"""Labelled data: the public datasets framelens trains and validates on, and the gold codings.

``newsmtsc`` (target-dependent sentiment), ``frames`` (FrAC and Narrative Frames, mapped to the
codebook's frames) and ``gold`` (the researcher's own codings, one row per coder judgement) read
their files into tidy tables with clear errors. The gold codings live here rather than in
:mod:`framelens.validation` because training (which sits below validation) learns from them.

May import the shared leaves, :mod:`framelens.codebook` and :mod:`framelens.text`.
"""
