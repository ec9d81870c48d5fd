"""XML written as text: the AKN writer emits strings and lets lxml parse them once (far faster
than building thousands of elements one SubElement call at a time). Text and attribute values
are escaped here, so whatever a source contains stays text."""

from __future__ import annotations


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attributes(attrs: dict[str, str]) -> str:
    """`` k="v"`` for each attribute (``class_`` is written ``class``), values escaped."""
    return "".join(
        f' {"class" if k == "class_" else k}="{xml_escape(v).replace(chr(34), "&quot;")}"'
        for k, v in attrs.items()
    )


class XmlText:
    """An XML document being written as text: ``out`` holds its pieces in order."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.counters: dict[str, int] = {}

    def next_id(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}_{self.counters[prefix]}"

    def start(self, tag: str, **attrs: str) -> None:
        self.out.append(f"<{tag}{attributes(attrs)}>" if attrs else f"<{tag}>")

    def end(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def leaf(self, tag: str, text: str | None = None, **attrs: str) -> None:
        head = f"<{tag}{attributes(attrs)}" if attrs else f"<{tag}"
        self.out.append(f"{head}>{xml_escape(text)}</{tag}>" if text else f"{head}/>")

    def raw(self, xml: str) -> None:
        """Markup made elsewhere and already escaped."""
        self.out.append(xml)

    def text(self) -> str:
        return "".join(self.out)
