"""The build cache's entries as pickled: what they keep comes back equal."""

from __future__ import annotations

import dataclasses
import pickle

from fadian.pipeline import CompiledDocument, StoredBytes, prepare_source
from fadian.project.model import CachedDocument, MetaChanges
from fadian.refs.index import ExpressionRef, ProvisionIds, Work

TEXT = """---
slug: test-law
type: act
title: 测试法
date: 2024-01-01
---
测试法

第一条 为了测试，制定本法。

第二条 本法自公布之日起施行。
"""


def _entry(base_differs: bool) -> CachedDocument:
    doc = prepare_source("sources/documents/test-law.txt", TEXT.encode("utf-8"))
    assert doc.meta is not None
    meta = dataclasses.replace(doc.meta, status="现行有效") if base_differs else doc.meta
    eids = ProvisionIds(["art_1", "art_2", "art_1__para_1"])
    work = Work(
        meta.work_uri, meta.title, eids, True, None, (ExpressionRef(meta.expression_uri, "2024-01-01", eids),)
    )
    frozen = CompiledDocument(doc.path, meta, xml=StoredBytes("", "0" * 64), counts={"article": 2})
    return CachedDocument(work, [], {("lookup", "刑法"): "x"}, frozen, None, [], doc.meta, ["ctx"])


def test_a_cache_entry_comes_back_equal_with_its_metadata_before_the_context():
    for differs in (True, False):
        entry = _entry(differs)
        data = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
        back = pickle.loads(data)
        assert back.base_meta == entry.base_meta and back.document.meta == entry.document.meta
        assert back.base_meta.status is None and back.document.meta.status == (
            "现行有效" if differs else None
        )
        assert set(back.work.eids) == {"art_1", "art_2", "art_1__para_1"} and "art_2" in back.work.eids
        assert back.queries == entry.queries and back.context == entry.context
        # kept as what it changes of the document's metadata, not as a second record
        assert isinstance(entry.__getstate__()["base_meta"], MetaChanges)


def test_an_entry_without_metadata_before_the_context_is_kept_as_it_is():
    entry = dataclasses.replace(_entry(True), base_meta=None)
    assert pickle.loads(pickle.dumps(entry)).base_meta is None


def test_metadata_before_the_context_is_rebuilt_as_dataclasses_replace_would():
    entry = _entry(True)
    meta = entry.document.meta
    _ = meta.frbr  # a cached property of the record in context, pickled with it
    back = pickle.loads(pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
    assert "frbr" in back.document.meta.__dict__
    rebuilt = dataclasses.replace(back.document.meta, status=None)
    assert back.base_meta.__dict__ == rebuilt.__dict__  # no cached value of the other record
    assert back.base_meta.expression_uri == entry.base_meta.expression_uri
