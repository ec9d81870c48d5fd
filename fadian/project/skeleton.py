"""`fadian init`: a new project that builds at once — sources/documents for the texts, a registry
of the laws they cite that the project does not hold, and a README for the editor."""

from __future__ import annotations

from pathlib import Path

EDITOR_README = """# 法规文本项目（fadian）

本项目用 fadian 把法规文本发布为 Akoma Ntoso XML、网站、EPUB 和 PDF。

- 文本放在 `sources/documents/`，每个文件一部法规，开头是 YAML 前言（slug、type、title、date）。
  用 `fadian import 文件或文件夹…` 导入纯文本、LawRefBook 风格的 Markdown 或 Word（.docx），
  前言从文本中读出（标题、日期、类型），slug 由标题的拼音生成。
- 本项目文本引用、但本项目没有的法律，可以登记在 `sources/registry.yaml`，引用就会被识别。
- `fadian build` 生成 `build/`（AKN、报告）和 `site/`（网站）；有错误的文本会使构建失败，
  `fadian build --keep-going` 则发布其余文本，并列出未发布的文本。
- 用 git 管理本文件夹：每次提交就是一个版本，网站会显示各版本、新旧对照和修改前后对照表。

This is a fadian project: texts in `sources/documents/` (import them with `fadian import`),
`fadian build` makes `build/` and `site/`.
"""
REGISTRY = (
    "# Laws the project's texts cite that it does not hold: title and FRBR URI\n"
    "# (fadian's docs/editors/citations.md)\n"
    "works: []\n"
)
# what a build makes: build/ and the link site (a pattern ending in / matches no link, so
# `site/` alone would let `git add -A` commit the link)
GITIGNORE = "/build\n/site\n"


def make_skeleton(folder: Path) -> str:
    """Write the skeleton into ``folder``; what stops it ('' when done): an existing project."""
    if (folder / "sources").exists():
        return f"{folder / 'sources'} exists already"
    (folder / "sources" / "documents").mkdir(parents=True)
    (folder / "sources" / "registry.yaml").write_text(REGISTRY, encoding="utf-8")
    if not (folder / "README.md").exists():
        (folder / "README.md").write_text(EDITOR_README, encoding="utf-8")
    if not (folder / ".gitignore").exists():
        (folder / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    return ""
