"""Reading a built site as data: the side of programs (an AI assistant through `fadian mcp`, a
script) that ask for an article at a date, a work's versions, what changed, which citations
hold. Everything here reads the files a site publishes (akn/index.json, the works' data, each
version's AKN), never the project's sources: what a program is told is what readers see."""
