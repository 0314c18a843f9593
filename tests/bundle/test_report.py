"""The report: every section is there (HTML and PDF), and hostile evidence text stays inert."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from evidence_kit.bundle.export import Options, export_bundle
from evidence_kit.model import ItemKind
from evidence_kit.vault import Vault
from tests.bundle.conftest import CASE, Exporter, add_screenshot, capture_meta, png, unpack

SAFE_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]*$")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster",
                  "srcset", "data", "codebase", "cite", "longdesc", "manifest", "ping"}  # fmt: skip
ACTIVE_TAGS = {"script", "iframe", "object", "embed", "link", "base", "form", "frame", "applet",
               "audio", "video", "source", "foreignobject"}  # fmt: skip
# The only links: from an exhibit's picture to its exact file in the bag, by our ASCII payload path.
EXHIBIT_LINK = re.compile(r"^\.\./items/[0-9]{4}/[A-Za-z0-9_-][A-Za-z0-9._-]*$")


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    collector.close()
    return collector


def assert_inert(html: str) -> Collector:
    page = parse(html)
    for tag, attrs in page.tags:
        assert tag not in ACTIVE_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            if tag == "a":
                assert name == "href" and value is not None and EXHIBIT_LINK.match(value), value
            elif name in URL_ATTRIBUTES:
                assert value is not None and SAFE_IMAGE.match(value), (
                    tag,
                    name,
                    (value or "")[:80],
                )
            if name == "style":
                assert "url(" not in (value or "")
        if tag == "meta":
            assert dict(attrs).get("http-equiv", "").lower() != "refresh"
    assert "\u202e" not in html and "\u2066" not in html
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert all("url(" not in s and "@import" not in s for s in styles)
    return page


def test_hostile_evidence_text_is_inert(vault: Vault, tmp_path: Path) -> None:
    meta = capture_meta(
        "javascript:alert(document.cookie)",
        description='<script>alert(1)</script><img src=x onerror="alert(2)">',
        platform="<iframe src=//evil.example>",
        account='" onmouseover="alert(3)',
        window_title="<a href='javascript:alert(4)'>click</a>",
    )
    shot = add_screenshot(vault, png(text="hostile"), meta, name="invoice\u202egnp.exe")
    with vault.transaction() as w:
        w.add_note(shot, "<svg onload=alert(5)><style>@import url(//evil.example/x.css)</style>")
        sha, size = w.put([b"chat"])
        item = w.add_item(ItemKind.IMPORT, sha256=sha, size=size, media_type="text/plain",
                          original_name="chat\u2066.txt", case=CASE,
                          metadata={"import": {"format": "whatsapp", "label": "<b>x</b>"}})  # fmt: skip
        w.add_messages(item.id, [
            {"idx": 0, "sender": "<script>evil()</script>", "text": "<meta http-equiv=refresh content='0;url=http://evil.example'>",
             "text_raw": "<meta>", "is_system": False, "sent_at_utc": "2026-03-14T09:00:00Z",
             "attachments": [{"name": "<img src=http://evil.example/p.png>"}]},
        ])  # fmt: skip
        w.record_import(item.id, "whatsapp", None, {"message_count": 1})
    result = export_bundle(vault, Options(audience="rep", case=CASE), tmp_path / "out")
    top = unpack(result.zip_path, tmp_path / "u")
    html = (top / "bag/data/report/evidence-report.html").read_text("utf-8")
    page = assert_inert(html)
    text = "".join(page.text)
    # The hostile text is shown as text, not dropped: the reader sees what was posted.
    assert "<script>alert(1)</script>" in text
    assert "javascript:alert(document.cookie)" in text
    assert "invoice[U+202E]gnp.exe" in text
    assert "<script>evil()</script>" in text


def test_report_holds_every_section(
    vault: Vault, evidence: dict[str, int], export: Exporter, tmp_path: Path
) -> None:
    result = export("police", contact_name="Sam Rep", organisation="Unison")
    top = unpack(result.zip_path, tmp_path / "u")
    html = (top / "bag/data/report/evidence-report.html").read_text("utf-8")
    page = assert_inert(html)
    text = " ".join("".join(page.text).split())
    # Cover
    for needed in (result.bundle_id, "Police", "Sam Rep (Unison)", CASE, "2026-03-14 to 2026-03-15",
                   result.fingerprint, result.read_aloud, "Sealed means every file"):  # fmt: skip
        assert needed in text, needed
    # Policy 2.8.3 with what is missing
    assert "Records kept under policy 2.8.3" in text
    # the chat (sent from 09:00) comes before the screenshots (captured 09:26)
    assert "No web address (URL) recorded for: TO/4, TO/5." in text
    assert "1 item(s) in scope were withdrawn" in text
    # Timeline chart, exhibit list, conversations, custody
    assert any(tag == "svg" for tag, _ in page.tags) and any(tag == "rect" for tag, _ in page.tags)
    for label in ("TO/1", "TO/2", "TO/8"):
        assert label in text
    assert "https://www.facebook.com/post/1" in text and "made from TO/2; crop" in text
    assert "you are useless" in text and "please stop" in text
    assert "bundle exported" in text and "vault created" in text
    # Each picture is its stored preview (made once, when it entered the vault), linked to the
    # exact file in the bag; the report never carries a second copy of the evidence.
    images = [dict(attrs)["src"] or "" for tag, attrs in page.tags if tag == "img"]
    links = [dict(attrs)["href"] for tag, attrs in page.tags if tag == "a"]
    shot = (top / "bag/data/items/0002/screenshot.png").read_bytes()
    assert base64.b64encode(shot).decode() not in html
    stored = vault.preview(evidence["shot"])
    assert (
        stored is not None
        and f"data:image/jpeg;base64,{base64.b64encode(stored.data).decode()}" in images
    )
    assert "../items/0002/screenshot.png" in links
    for link in links:
        assert (top / "bag/data/report" / link).resolve().is_file(), link


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_pdf_holds_the_same_sections(
    vault: Vault, evidence: dict[str, int], export: Exporter, tmp_path: Path
) -> None:
    result = export("police")
    top = unpack(result.zip_path, tmp_path / "u")
    pdf = top / "bag/data/report/evidence-report.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    flat = " ".join(text.split())
    for needed in (result.bundle_id, "Seal key fingerprint", result.fingerprint, result.read_aloud,
                   "Sealed means",
                   "Records kept under policy 2.8.3", "What is missing", "No web address (URL)",
                   "Chronology", "Exhibit list", "TO/1", "Exhibits in detail", "Conversations",
                   "you are useless", "Chain of custody", "bundle exported",
                   "Скриншот 2.png"):  # fmt: skip
        assert needed in flat, needed
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", pages).group(1)) >= 5  # type: ignore[union-attr]
