"""Conversion time against input size: texts of 1, 5 and 10 MB (the articles of
criminal-law-2023 repeated and renumbered) through read, parse, citations, AKN and validation.

Run: .venv/bin/python benchmarks/bench_large.py
Target: time linear in the input (the chars/s column stays flat); a 10 MB source
converts well within the 20 MB / 20,000-article limits.
"""

from __future__ import annotations

import re
import resource
import time
from pathlib import Path

from fadian.pipeline import compile_standalone
from fadian.read.numerals import int_to_cn

LAW = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "laws" / "criminal-law-2023.txt"
ARTICLE = re.compile(r"^第[一二三四五六七八九十百千零]+条(?:之[一二三四五六七八九十]+)?", re.M)


def text_of_size(megabytes: float) -> str:
    body = LAW.read_text("utf-8").split("附件一")[0]
    body = "\n".join(  # articles only: no 编/章/节 headings, no 附则
        ln for ln in body.split("\n") if not re.match(r"^(第[一二三四五六七八九十]+[编章节]|附则)", ln)
    )
    articles = [a.strip() for a in ARTICLE.split(body)[1:]]
    out, n, size = ["大文本测试法"], 0, 0
    while size < megabytes * 1_000_000:
        for rest in articles:
            n += 1
            line = f"第{int_to_cn(n)}条 {rest}"
            out.append(line)
            size += len(line.encode())
            if size >= megabytes * 1_000_000:
                break
    return "\n\n".join(out) + "\n"


def main() -> None:
    compile_standalone("warm.txt", text_of_size(0.1).encode(), "warm")
    print(f"{'MB':>5} {'articles':>9} {'seconds':>8} {'M chars/s':>10} {'max RSS MB':>11}")
    for mb in (1, 5, 10):
        data = text_of_size(mb).encode()
        t0 = time.perf_counter()
        doc = compile_standalone(f"large-{mb}.txt", data, "large")
        seconds = time.perf_counter() - t0
        assert doc.ok, [d.format() for d in doc.diagnostics if d.is_error][:3]
        chars = len(data.decode())
        articles = doc.tree.count("article")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{mb:>5} {articles:>9,} {seconds:>8.2f} {chars / seconds / 1e6:>10.2f} {rss:>11.0f}")


if __name__ == "__main__":
    main()
