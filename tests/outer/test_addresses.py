"""AKN addresses no file stands at, opened on a static host that answers a missing path with the
site's 404 page (as GitHub Pages, Netlify and nginx's error_page do): a version's article
(…/zho@DATE/~art_N, …/!main~art_N) and the version in force on a day (…/zho:DATE/~art_N) open
the right text at the article, in chromium; a day before every version says so."""

from __future__ import annotations

import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

WORK = "akn/cn/act/1979-07-01/criminal-law"
OLD_165 = "国有公司、企业的董事、经理利用职务便利"
NEW_165 = "其他公司、企业的董事、监事、高级管理人员违反法律、行政法规规定"


class _StaticHost(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        """A missing path: the site's own 404 page, with status 404."""
        if code != 404:
            return super().send_error(code, message, explain)
        body = (self.directory_path / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def host(criminal_project):
    site = criminal_project / "site"
    handler = functools.partial(type("Host", (_StaticHost,), {"directory_path": site}), directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(
    ("address", "page", "text"),
    [
        (f"{WORK}/zho:2023-06-01/~art_165", "history/criminal-law/v1/", OLD_165),
        (f"{WORK}/zho:2024-06-01/~art_165", "history/criminal-law/v2/", NEW_165),
        (f"{WORK}/zho:2024-02-29/~art_165", "history/criminal-law/v1/", OLD_165),  # the day before
        (f"{WORK}/zho@2023-12-29/~art_165", "history/criminal-law/v2/", NEW_165),
        (f"{WORK}/zho@2020-12-26/!main~art_165", "history/criminal-law/v1/", OLD_165),
        (f"{WORK}/zho:2024-06-01/~art_165__para_2", "history/criminal-law/v2/", NEW_165),
    ],
)
def test_an_address_opens_the_article_of_the_right_version(host, browser, address, page, text):
    tab = browser.new_page()
    tab.goto(host + address)
    eid = address.rsplit("~", 1)[1]
    tab.wait_for_url(re.compile(re.escape(host + page) + "#" + eid + "$"))
    assert text in tab.locator(f"[id='{eid.split('__')[0]}']").first.inner_text()
    tab.close()


def test_a_day_before_every_version_says_so(host, browser):
    tab = browser.new_page()
    tab.goto(host + f"{WORK}/zho:1990-01-01/~art_165")
    note = tab.locator(".fadian-address-note")
    note.wait_for()
    assert "没有在 1990-01-01 施行的" in note.inner_text() and "2020-12-26" in note.inner_text()
    tab.close()


@pytest.mark.parametrize(
    ("page", "date", "text"),
    [("documents/criminal-law/", "2023-12-29", NEW_165), ("history/criminal-law/v1/", "2020-12-26", OLD_165)],
)
def test_the_copy_button_offers_the_versions_address(host, browser, page, date, text):
    """After 复制链接 (the stable link), 复制本版本地址 gives the article's address in the version
    shown, which opens that version's article whatever later versions do."""
    tab = browser.new_page()
    tab.goto(host + page)
    article = tab.locator("[id='art_165']")
    article.locator(".fadian-permalink").first.click()
    dated = article.locator(".fadian-permalink-dated")
    expect(dated).to_have_text(f"复制本版本（{date}）地址")  # made once the stable link is copied
    dated.click()
    address = f"{host}{WORK}/zho@{date}/~art_165"
    expect(dated).to_have_attribute("data-url", address)  # set when the clipboard has it
    tab.goto(address)
    tab.wait_for_url(re.compile(r".*#art_165$"))
    assert text in tab.locator("[id='art_165']").inner_text()
    tab.close()
