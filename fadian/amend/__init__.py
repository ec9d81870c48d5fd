"""Amendment instruments: the instruction grammar (grammar), the instrument as a document tree
(tree) and applying it to the text it amends (apply)."""
