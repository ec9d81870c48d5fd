"""Reading sources: bytes → checked lines (sources), front matter and YAML schemas (schemas),
numerals, and the parser that turns lines into the document tree (parse)."""
