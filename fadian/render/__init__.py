"""Renderers of the AKN: the website pages (site, mkdocs_plugin, preview) and the Word/PDF/EPUB
editions (editions)."""
