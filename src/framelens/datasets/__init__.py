"""Readers for public labelled datasets (NewsMTSC, FrAC, Narrative Frames) and their label maps."""
