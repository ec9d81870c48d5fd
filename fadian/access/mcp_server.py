"""`fadian mcp`: a Model Context Protocol server over a built site, read-only, on stdin/stdout,
so an AI assistant can ask for the article in force on a date instead of citing from memory.
Each tool is one of access/questions; a question that names nothing on the site is a tool error
whose message says why (never an empty or invented answer). Needs the ``mcp`` extra
(``pip install 'fadian[mcp]'``): the official Python SDK.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fadian.access import questions
from fadian.access.site_data import SiteData, SiteDataError

INSTRUCTIONS = """Chinese laws and policy texts as published on one fadian site, by version.
Cite an article by the `cite` address an answer gives (the AKN address of that version's
article) and say the date it was asked for: a law's text depends on the day. Dates are
YYYY-MM-DD; a law is named by its title (中华人民共和国 may be left out: 刑法); an article as
第一百六十五条, 第一百二十条之一第二款, or 165."""


def make_server(site_dir: Path):
    """The server of the site in ``site_dir`` (SiteDataError: not a built site)."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError

    site = SiteData(site_dir)
    server = MCPServer("fadian", instructions=INSTRUCTIONS, log_level="WARNING")

    def ask(question, *args):
        try:
            return question(site, *args)
        except SiteDataError as exc:
            raise ToolError(str(exc)) from None

    @server.tool(structured_output=True)
    def get_provision(law: str, article: str, as_of: str | None = None) -> dict[str, Any]:
        """The text of one article (款, 项) of a law in the version in force on a date (the
        site's date when not given), with its 时效性 that day, the later versions, and the
        address to cite."""
        return ask(questions.get_provision, law, article, as_of)

    @server.tool(structured_output=True)
    def list_versions(law: str) -> dict[str, Any]:
        """Every version of a law the site holds, with its dates and 时效性."""
        return ask(questions.list_versions, law)

    @server.tool(structured_output=True)
    def get_changes(law: str, since: str) -> dict[str, Any]:
        """The versions of a law made or taking effect after a date, and the articles each
        changed."""
        return ask(questions.get_changes, law, since)

    @server.tool(structured_output=True)
    def search(query: str, level: str = "", status: str = "") -> dict[str, Any]:
        """Laws whose title holds the words, and articles (of the versions in force) that hold
        them; ``level`` is a 效力级别 (法律, 行政法规, 地方性法规 …), ``status`` a 时效性."""
        return ask(questions.search, query, level, status)

    @server.tool(structured_output=True)
    def check_citations(text: str, as_of: str | None = None) -> dict[str, Any]:
        """Whether each citation of a law's article in a passage (《X》第N条, 刑法第N条) names an
        article of the version in force on a date, its text then, and later changes to it."""
        return ask(questions.check_citations, text, as_of)

    return server


def serve_stdio(site_dir: Path) -> None:
    make_server(site_dir).run("stdio")
