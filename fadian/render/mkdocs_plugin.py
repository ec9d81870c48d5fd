"""The `fadian` mkdocs plugin: plain `mkdocs build` / `mkdocs serve` regenerate the pages
from sources/, serve watches sources/, and pages whose HTML fadian made skip Markdown.

Search is not Material's (its index of every page is downloaded whole and segmented by jieba
at build time): the build's search stage gives the site a Pagefind index, and assets/fadian.js
its search box.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin


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
        """Every page says it is Simplified Chinese (Material writes lang="zh"; Pagefind reads the
        language from here); in the preview, every page carries the current source errors."""
        output = output.replace('<html lang="zh"', '<html lang="zh-CN"', 1)
        if not self.config["preview"]:
            return output
        from fadian.render.preview import error_banner

        banner = error_banner(Path(self.config["preview"]))
        if not banner:
            return output
        at = output.find(">", output.find("<body")) + 1
        return output[:at] + banner + output[at:]
