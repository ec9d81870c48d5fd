"""A project of many documents: check and build (build), atomic publish (publish), corpus
sweeps (sweep)."""
