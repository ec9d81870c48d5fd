"""The `fadian` mkdocs plugin: the pages of a build come in as generated files (mkdocs 1.6
`File.generated`, from memory), pages whose HTML fadian made skip Markdown, and plain
`mkdocs build` / `mkdocs serve` make the pages from sources/ (serve watches sources/).

Search is not Material's (its index of every page is downloaded whole and segmented by jieba
at build time): the build's search stage gives the site a Pagefind index, and assets/fadian.js
its search box.
"""

from __future__ import annotations

import os
from pathlib import Path

from markupsafe import escape
from mkdocs.config import config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from fadian.project.build import Project, build_project
from fadian.project.preview import error_banner, preview_sources
from fadian.render.site_model import nav_pages
from fadian.render.site_sources import SiteSources, site_sources


def footer_line(extra: dict) -> str:
    """The footer every page ends with: where the texts come from and the date of the
    collection, as the project's settings give them (``extra: fadian: source, collected`` in its
    mkdocs.yml; a date the settings give, never the build's, which would change every page)."""
    own = extra.get("fadian") or {}
    parts = [
        f"文本来源：{own['source']}" if own.get("source") else "",
        f"收录截至 {own['collected']}" if own.get("collected") else "",
        "以 fadian 生成的 Akoma Ntoso 数据发布",
    ]
    return str(escape(" · ".join(p for p in parts if p)))


class FadianPlugin(BasePlugin):
    """Adds the pages of a build to the site. ``sources`` is set by the build that runs mkdocs
    (project/site_stage); left unset (plain `mkdocs build` / `mkdocs serve`), the plugin
    compiles the project itself; in `fadian serve` it makes the preview's pages."""

    config_scheme = (
        # `fadian serve` sets the project root here: pages are made for the preview only, and a
        # source error is shown on every page instead of stopping the server
        ("preview", config_options.Type(str, default="")),
    )

    def __init__(self):
        super().__init__()
        self._html: dict[str, str] = {}
        self.sources: SiteSources | None = None
        # where a build keeps the theme's templates compiled: Jinja parsed and compiled the
        # theme's 45 templates on every run (half a second of a build after an edit)
        self.template_cache: Path | None = None

    def on_config(self, config):
        """The pages (made now unless given) and their navigation."""
        if self.sources is None and self.config["preview"]:
            self.sources = preview_sources(Path(self.config["preview"]))
        elif self.sources is None:  # plain `mkdocs build` / `mkdocs serve`: make the pages
            root = Path(config["config_file_path"]).resolve().parent
            result = build_project(Project(root), site=False, editions=False)
            if not result.ok:
                report = "\n".join(d.format() for d in result.all_diagnostics if d.is_error)
                raise PluginError(f"fadian: the sources have errors; pages not made\n{report}")
            self.sources = site_sources(root / "build")
        if not config.get("nav"):
            config["nav"] = self.sources.nav
        if not config.get("copyright"):
            config["copyright"] = footer_line(config.get("extra") or {})
        # fadian's own templates first (the 404 page in Chinese), under a project's custom_dir
        overrides = str(OVERRIDES)
        if overrides not in config["theme"].dirs:
            at = 1 if config["theme"].custom_dir else 0
            config["theme"].dirs.insert(at, overrides)
        return config

    def on_env(self, env, config, files):
        # the theme's JSON (its __config: the interface's Chinese strings) in UTF-8, not \u
        # escapes: the same data, 230 bytes less on every page; still HTML-safe (<, >, &, ')
        env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
        if self.template_cache is not None:
            from jinja2 import FileSystemBytecodeCache

            self.template_cache.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = FileSystemBytecodeCache(str(self.template_cache))
        return env

    def on_files(self, files, config):
        """Every page, download and asset of the build, as generated files; nothing of the
        docs folder (the project's sources/: the texts are published through their pages), and
        not the theme's source maps (1.3 MB a site that only a developer's tools would fetch)."""
        from mkdocs.structure.files import File

        assert self.sources is not None
        for file in list(files):
            source = file.generated_by is None and file.src_dir == config["docs_dir"]
            if source or (file.src_uri.startswith("assets/") and file.src_uri.endswith(".map")):
                files.remove(file)
        navigated = set(nav_pages(self.sources.nav))
        for uri in self.sources.uris():
            if uri in self.sources.placed:  # in the site already (pages stage, previous build)
                if uri in navigated and (kept := _kept_page(config, uri)) is not None:
                    files.append(kept)
                continue
            if uri in self.sources.pages:
                file = File.generated(config, uri, content=self.sources.pages[uri])
            elif uri in self.sources.files:
                file = File.generated(config, uri, abs_src_path=str(self.sources.files[uri]))
            else:
                file = File.generated(config, uri, content=self.sources.blobs[uri])
            files.append(file)
        if self.sources.placed:  # a site folder with links into the previous generation
            _unlink_rewritten(files, config)
        return files

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

    def on_post_build(self, config):
        """The works' data files and the expressions' AKN join the sitemap; the 404 page (which
        is no page of the site's, so on_post_page never sees it) says it is Simplified Chinese,
        and loses the theme's indentation as the pages do."""
        from fadian.render.shell import tighten

        missing = Path(config["site_dir"]) / "404.html"
        if missing.is_file():
            html = missing.read_text("utf-8")
            missing.unlink()  # it may be a link into the published generation: never written through
            missing.write_text(tighten(html.replace('<html lang="zh"', '<html lang="zh-CN"', 1)), "utf-8")
        if self.sources is None or not config.get("site_url"):
            return
        from mkdocs.utils import get_build_date

        uris = self.sources.uris()
        pages = [u for u in uris if u.endswith(".md")]
        data = [u for u in uris if u.endswith(FRBR_DATA)]
        write_sitemap(Path(config["site_dir"]), config["site_url"], pages, data, get_build_date())

    def on_serve(self, server, config, builder):
        root = Path(self.config["preview"]) if self.config["preview"] else None
        root = root or Path(config["config_file_path"]).resolve().parent
        server.watch(str(root / "sources"))
        return server

    def on_post_page(self, output, page, config):
        """Every page says it is Simplified Chinese (Material writes lang="zh"; Pagefind reads the
        language from here), without the theme's indentation (render/shell.tighten); in the
        preview, every page carries the current source errors."""
        from fadian.render.shell import tighten

        output = tighten(output.replace('<html lang="zh"', '<html lang="zh-CN"', 1))
        if not self.config["preview"]:
            return output
        banner = error_banner(Path(self.config["preview"]))
        if not banner:
            return output
        at = output.find(">", output.find("<body")) + 1
        return output[:at] + banner + output[at:]


FRBR_DATA = ("/index.json", "/!main.xml")  # a work's data, an expression's AKN
OVERRIDES = Path(__file__).resolve().parent.parent / "render" / "overrides"


def write_sitemap(site_dir: Path, site_url: str, pages: list[str], uris: list[str], date: str) -> None:
    """sitemap.xml (and its .gz) of every page (dated ``date``, as mkdocs dates its own), the
    works' data files and the expressions' AKN, in the order of the site's sources — whichever
    pages mkdocs made in this run (a sitemap needs absolute URLs: only when the address is set)."""
    from xml.sax.saxutils import escape

    from fadian.render.shell import page_url

    base = site_url.rstrip("/") + "/"
    lastmod = f"\n         <lastmod>{date}</lastmod>" if date else ""
    entries = "".join(
        f"    <url>\n         <loc>{escape(base + page_url(uri))}</loc>{lastmod}\n    </url>\n"
        for uri in pages
    )
    entries += "".join(f"    <url>\n         <loc>{escape(base + uri)}</loc>\n    </url>\n" for uri in uris)
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + entries + "</urlset>"
    )
    sitemap = site_dir / "sitemap.xml"
    sitemap.unlink(missing_ok=True)  # never written through: it may be a link into the previous generation
    sitemap.write_text(text, "utf-8")
    import gzip

    packed = site_dir / "sitemap.xml.gz"
    packed.unlink(missing_ok=True)
    packed.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def _kept_page(config, uri: str):
    """A page of the navigation that is in the site already (the previous build's), as a file
    mkdocs knows but does not build again: the pages it does build link to it through their
    navigation (a page missing from the run was a bare link to its Markdown file there). Its
    source is its own output, so a dirty build finds it not modified and leaves it as it is."""
    from mkdocs.structure.files import File

    where = File(uri, None, config["site_dir"], config["use_directory_urls"])
    if not os.path.isfile(where.abs_dest_path):
        return None
    return File.generated(config, uri, abs_src_path=where.abs_dest_path)


def _unlink_rewritten(files, config) -> None:
    """Before a dirty build into a copy of the previous site made of hard links: every file
    mkdocs will write is unlinked first, so that writing it never changes the previous
    generation's file (mkdocs opens outputs for writing in place)."""
    site = Path(config["site_dir"])
    rewritten = [Path(f.abs_dest_path) for f in files if f.is_modified()]
    templates = [*config["theme"].static_templates, *config["extra_templates"], "sitemap.xml.gz"]
    for path in [*rewritten, *(site / name for name in templates)]:
        path.unlink(missing_ok=True)
