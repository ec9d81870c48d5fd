"""build/manifest.json is typed: written once by the build, read back by the renderers."""

from __future__ import annotations

import json

from fadian.manifest import Manifest

from conftest import walk_files


def test_manifest_round_trips_and_lists_every_output(built_project, tmp_path):
    build = built_project / "build"
    raw = (build / "manifest.json").read_text("utf-8")
    manifest = Manifest.read(build)
    # to_json(from_json(x)) is x, and written again it is byte for byte the file the build wrote
    assert manifest.to_json() == json.loads(raw)
    manifest.write(tmp_path)
    assert (tmp_path / "manifest.json").read_text("utf-8") == raw
    published = {p.relative_to(built_project).as_posix() for p in walk_files(build)}
    for doc in manifest.documents:
        assert doc.akn in published and doc.epub in published and doc.pdf in published
        assert doc.counts["article"] >= 0 and doc.expression_uri.startswith(doc.work_uri + "/zho@")
    (bulletin,) = manifest.bulletins
    assert bulletin.akn in published and set(bulletin.documents) <= {d.slug for d in manifest.documents}
    assert manifest.reports == {
        "refs": "build/reports/refs.json",
        "backlinks": "build/reports/backlinks.json",
        "citations_to_review": "build/reports/citations-to-review.json",
        "outstanding_changes": "build/reports/outstanding-changes.json",
    }
    assert all(path in published for path in manifest.reports.values())
