"""The `fadian` mkdocs plugin: plain `mkdocs build` / `mkdocs serve` regenerate the pages
from sources/, serve watches sources/, and the search index learns Chinese sub-words.

Material's search segments Han text with jieba's default mode, which glues 数据安全 into
one token, so a query for 安全 (matched as a word prefix) misses it. After the search
plugin has written its index, this plugin adds a ``words`` field holding jieba's
search-mode cuts (数据, 安全, 数据安全), which mkdocs.yml declares as a search field.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def search_words(text: str) -> str:
    """jieba search-mode words of every Han run, joined by zero-width spaces (Material's separator)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    words: list[str] = []
    seen: set[str] = set()
    for run in HAN_RUN.findall(text.replace("\u200b", "")):
        for word in jieba.cut_for_search(run):
            if word not in seen:
                seen.add(word)
                words.append(word)
    return "\u200b".join(words)


def add_search_words(index_path: Path) -> int:
    """Add the ``words`` field to every entry of a Material search index; returns entries."""
    data = json.loads(index_path.read_text("utf-8"))
    for entry in data["docs"]:
        entry["words"] = search_words(entry.get("title", "") + " " + entry.get("text", ""))
    data["config"].setdefault("fields", {}).setdefault("words", {"boost": 1.0})
    index_path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
    return len(data["docs"])


class FadianPlugin(BasePlugin):
    config_scheme = (
        ("generate", config_options.Type(bool, default=True)),
        # `fadian serve` sets the project root here: pages are regenerated into the preview
        # folder only, and a source error is shown on every page instead of stopping the server
        ("preview", config_options.Type(str, default="")),
    )

    def __init__(self):
        super().__init__()
        self._html: dict[str, str] = {}

    def on_config(self, config):
        """Regenerate AKN and pages unless `fadian build` has just done so; set the nav."""
        if self.config["preview"]:
            from fadian.render.preview import regenerate

            regenerate(Path(self.config["preview"]))
        elif self.config["generate"]:  # plain `mkdocs build` / `mkdocs serve`: make the pages
            from fadian.project.build import Project, build_project

            root = Path(config["config_file_path"]).resolve().parent
            result = build_project(Project(root), site=False, editions=False)
            if not result.ok:
                report = "\n".join(d.format() for d in result.all_diagnostics if d.is_error)
                raise PluginError(f"fadian: the sources have errors; pages not regenerated\n{report}")
        from fadian.render.site import NAV_FILE

        nav = Path(config["docs_dir"]) / NAV_FILE
        if nav.is_file() and not config.get("nav"):
            config["nav"] = json.loads(nav.read_text("utf-8"))
        return config

    def on_page_markdown(self, markdown, page, config, files):
        """Pages whose HTML fadian made (``fadian_html`` in their front matter) skip Markdown:
        their body is kept aside and put in place by on_page_content."""
        if page.meta.get("fadian_html"):
            self._html[page.file.src_uri] = markdown
            return ""
        return markdown

    def on_page_content(self, html, page, config, files):
        """The kept HTML, and the page's contents list from its front matter."""
        made = self._html.pop(page.file.src_uri, None)
        if made is None:
            return html
        from mkdocs.structure.toc import get_toc

        page.toc = get_toc(page.meta.get("fadian_toc") or [])
        return made

    def on_serve(self, server, config, builder):
        root = Path(self.config["preview"]) if self.config["preview"] else None
        root = root or Path(config["config_file_path"]).resolve().parent
        server.watch(str(root / "sources"))
        return server

    def on_post_page(self, output, page, config):
        """In the preview, every page carries the current source errors, if any."""
        if not self.config["preview"]:
            return output
        from fadian.render.preview import error_banner

        banner = error_banner(Path(self.config["preview"]))
        if not banner:
            return output
        at = output.find(">", output.find("<body")) + 1
        return output[:at] + banner + output[at:]

    def on_post_build(self, config):
        index = Path(config["site_dir"]) / "search" / "search_index.json"
        if index.exists():
            add_search_words(index)
