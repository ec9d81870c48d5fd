"""Escaping text for XML written as text (the AKN writer emits strings and parses them once)."""

from __future__ import annotations


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
