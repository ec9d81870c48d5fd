"""Citations: the patterns that find them, the index of citable works and the resolver that
turns them into spans of the tree (refs/resolve.py), and the registry of external works."""
