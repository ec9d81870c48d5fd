"""Versions from git: reading them (git), aligning articles between versions (align), and one
AKN expression per version with wIds and modifications (versions)."""
