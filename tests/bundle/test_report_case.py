"""The report rebuilt around the case (issue 14, point 7), in HTML and in the PDF: the sections
in order, the statement exactly as written, incidents with their exhibits and quoted messages,
an honest 2.8.3 section, what is missing, conversations by thread, nothing cut."""

from __future__ import annotations

import html as htmllib
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from evidence_kit.bundle.export import Options, export_bundle
from evidence_kit.casefile.model import CaseFile, ChronologyEntry, Incident
from evidence_kit.vault import Vault
from tests.bundle.conftest import CASE, populate, unpack
from tests.bundle.report_case_data import (
    LONG_NAME,
    LONG_URL,
    STATEMENT,
    case_file,
    populate_case,
)
from tests.bundle.test_report import assert_inert

HTML_ORDER = ("cover", "summary", "statement", "incidents", "chronology", "exhibits",
              "conversations", "policy", "missing", "custody")  # fmt: skip
PDF_ORDER = ("SEALED EVIDENCE BUNDLE", "Summary", "Possible offences", "Course of conduct",
             "Statement", "Incidents", "Chronology", "Exhibit list", "Exhibits in detail",
             "Conversations", "Records kept under policy 2.8.3", "What is missing",
             "Chain of custody")  # fmt: skip
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")


def _export(vault: Vault, tmp_path: Path, casefile: CaseFile | None, name: str = "u") -> Path:
    result = export_bundle(vault, Options(audience="police", case=CASE), tmp_path / f"out-{name}",
                           casefile=casefile)  # fmt: skip
    return unpack(result.zip_path, tmp_path / name) / "bag/data/report"


@pytest.fixture
def report(vault: Vault, tmp_path: Path) -> tuple[str, str, dict[str, int]]:
    """(the HTML, the PDF's text, the item ids) of a police bundle of the case."""
    ids = {**populate(vault), **populate_case(vault)}
    folder = _export(vault, tmp_path, case_file(ids))
    html = (folder / "evidence-report.html").read_text("utf-8")
    return html, _pdf_text(folder / "evidence-report.pdf"), ids


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        return ""
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


def _section(html: str, name: str) -> str:
    """The HTML from section `name`'s heading to the next section's."""
    start = html.index(f'id="{name}"')
    after = HTML_ORDER[HTML_ORDER.index(name) + 1 :]
    ends = [html.index(f'<h2 id="{n}"') for n in after if f'<h2 id="{n}"' in html]
    return html[start : min(ends) if ends else len(html)]


def _text(fragment: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_html_sections_come_in_the_case_order(report: tuple[str, str, dict[str, int]]) -> None:
    html, _, _ = report
    page = assert_inert(html)  # the statement's <script>, an incident's javascript: link: text
    shown = "".join(page.text)
    assert "<script>alert('statement')</script>" in shown
    assert "<a href='javascript:alert(2)'>x</a>" in shown
    assert "Gareth Holloway (+44 7700 900123); Kev[U+202E]niaga" in shown  # joined, still shown
    places = [html.index(f'id="{name}"') for name in HTML_ORDER]
    assert places == sorted(places), dict(zip(HTML_ORDER, places, strict=True))


def test_summary_names_people_offences_and_the_course_of_conduct(
    report: tuple[str, str, dict[str, int]],
) -> None:
    html, _, _ = report
    summary = _text(_section(html, "summary"))
    assert "Incidents 3, from 2026-10-25 to 2026-11-24" in summary
    assert "Gareth Holloway (+44 7700 900123) — reported person" in summary
    assert "Dana Okafor — witness" in summary
    assert "PHA1997-s2: Protection from Harassment Act 1997 s.2" in summary
    assert "Harassing someone by a course of conduct." in summary
    assert "Needs: a course of conduct: two or more occasions" in summary
    assert ("Gareth Holloway (+44 7700 900123): 3 occasions on separate days, between 2026-10-25 "
            "and 2026-11-24, by WhatsApp, in person, SMS.") in summary  # fmt: skip
    assert "Fear of violence was tagged on 2 of these occasions." in summary
    assert "This is not legal advice." in summary


def test_the_statement_is_printed_exactly_as_written(
    report: tuple[str, str, dict[str, int]],
) -> None:
    html, pdf, _ = report
    block = re.search(r'<div class="statement text">(.*?)</div>', html, re.S)
    assert block is not None and htmllib.unescape(block.group(1)) == STATEMENT
    assert "No statement was written" not in html
    if pdf:
        assert " ".join(STATEMENT.split()) in " ".join(pdf.split())


def test_incidents_in_time_order_with_their_exhibits_and_quoted_messages(
    report: tuple[str, str, dict[str, int]],
) -> None:
    html, _, _ = report
    text = _text(_section(html, "incidents"))
    titles = ["Final warning", "Told I was finished, in the car park", "You've got till Friday"]
    places = [text.index(f"· {title}") for title in titles]
    assert places == sorted(places)
    first = text[places[0] : places[1]]
    # local time with zone first, UTC beside it
    assert "Sun 25 Oct 2026 01:40 BST (Europe/London) (2026-10-25 00:40 UTC)" in first
    assert "Gareth Holloway (+44 7700 900123)" in first and "WA-REPORT-2231" in first
    assert "OSA2023-s181: Online Safety Act 2023 s.181" in first
    # its exhibit by label and the two messages of its range, quoted; not the third
    assert re.search(r"Evidence TO/\d+; TO/\d+, messages 0 to 1", first)
    assert "Final warning. You know what happens next." in first
    assert "This message was deleted" in first and "(deleted)" in first
    assert "IMG-20261025-WA0003.jpg" not in first
    third = text[places[2] :]
    assert "#0 · 2026-11-24 18:05 · 2026-11-24 18:05 UTC Gareth Holloway (+44 7700 900123)" in third
    second = text[places[1] : places[2]]
    assert "Witnesses Dana Okafor" in second and "Evidence none linked" in second
    assert "until Fri 20 Nov 2026 17:00 GMT" in second


def test_chronology_says_which_time_each_entry_is(report: tuple[str, str, dict[str, int]]) -> None:
    html, _, _ = report
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>",
                      _section(html, "chronology"))  # fmt: skip
    which = {htmllib.unescape(w) for _, _, w, _ in rows}
    assert "Incident 2" in _text(_section(html, "chronology"))  # numbered as in the report
    assert {"sent", "captured", "incident"} <= which, which
    local, utc = rows[0][0], rows[0][1]
    assert local.startswith("Sat 14 Mar 2026") and "Europe/London" in local and utc.endswith("UTC")
    assert [r[1] for r in rows] == sorted(r[1] for r in rows)
    # the exhibits say which time theirs is, too
    details = _text(_section(html, "exhibits"))
    assert re.search(r"TO/\d+ · Screenshot .*?Time \(UTC\) 2026-03-14T09:26:53\.589793Z "
                     r"\(captured\)", details)  # fmt: skip
    assert re.search(r"TO/\d+ · Message export .*?Time \(UTC\) \S+ \(sent\)", details)


def test_policy_section_says_what_was_deleted_and_that_times_are_capture_times(
    report: tuple[str, str, dict[str, int]],
) -> None:
    html, pdf, _ids = report
    policy = _section(html, "policy")
    row = re.search(r"<td>Do not delete them</td><td[^>]*>(\w+)</td><td>(.*?)</td>", policy, re.S)
    assert row is not None
    assert row.group(1) == "partly"  # never "yes" above a chat with a deleted message
    said = _text(row.group(2))
    assert "1 message(s) had been deleted in the chat" in said
    assert "message 1 by Priya Sharma" in said
    assert "withdrawn in the vault by its owner" in said and "Added by mistake" in said
    times = re.search(r"<td>Record the time and date</td><td[^>]*>(\w+)</td><td>(.*?)</td>",
                      policy, re.S)  # fmt: skip
    assert times is not None and times.group(1) == "partly"
    assert (
        "is the capture time (when the screen print was taken), not the time shown on the "
        "post" in _text(times.group(2))
    )
    if pdf:
        flat = " ".join(pdf.split())
        part = flat[flat.index("Records kept under policy 2.8.3") : flat.index("What is missing")]
        assert "had been deleted in the chat" in part
        assert not re.search(r"Do not delete them\s+yes", part)


def test_what_is_missing_lists_each_case(vault: Vault, tmp_path: Path) -> None:
    ids = {**populate(vault), **populate_case(vault)}
    folder = _export(vault, tmp_path, case_file(ids, statement=False))
    html = (folder / "evidence-report.html").read_text("utf-8")
    missing = _text(_section(html, "missing"))
    assert "No statement was written" in missing
    assert ("Incident 2, “Told I was finished, in the car park” on Fri 20 Nov 2026 16:45 GMT "
            "(Europe/London) (2026-11-20 16:45 UTC), has no evidence linked to it") in missing  # fmt: skip
    assert "(witnesses: Dana Okafor)" in missing
    assert re.search(r"TO/\d+ \(WhatsApp chat\): 1 file\(s\) named in the chat are not in the "
                     r"export .*IMG-20261025-WA0003\.jpg", missing)  # fmt: skip
    assert re.search(r"TO/\d+ \(WhatsApp chat\): times guessed around a clock change — 2 "
                     r"message time\(s\) fall in the hour the clocks went back", missing)  # fmt: skip
    assert re.search(r"No web address \(URL\) recorded for: [^.]*TO/\d+", missing)
    statement = _text(_section(html, "statement"))
    assert "No statement was written" in statement
    pdf = _pdf_text(folder / "evidence-report.pdf")
    if pdf:
        flat = " ".join(pdf.split())
        part = flat[flat.index("What is missing") : flat.index("Chain of custody")]
        for needed in ("No statement was written", "has no evidence linked", "not in the export",
                       "clock change", "No web address (URL)"):  # fmt: skip
            assert needed in part, needed


def test_a_bundle_without_a_case_file_still_reports(vault: Vault, tmp_path: Path) -> None:
    populate(vault)
    folder = _export(vault, tmp_path, None)
    html = (folder / "evidence-report.html").read_text("utf-8")
    assert_inert(html)
    assert "No incidents are recorded for this case." in html
    # the chronology falls back to the exhibits, each with which time it is
    chronology = _text(_section(html, "chronology"))
    assert "captured" in chronology and "sent" in chronology


def test_conversations_are_grouped_by_thread_with_each_side_and_mail_headers(
    report: tuple[str, str, dict[str, int]],
) -> None:
    html, pdf, _ = report
    threads = re.findall(r'<section class="exhibit thread">(.*?)</section>',
                         _section(html, "conversations"), re.S)  # fmt: skip
    texts = [_text(t) for t in threads]
    # the thread is named after the person, whose number it was
    gareth_sms = next(t for t in texts if "· Gareth Holloway (+44 7700 900123) · 3 messages" in t)
    # the bully's number is named as him, and his thread runs in the order it was sent
    assert (
        "Between: Gareth Holloway (+44 7700 900123); Priya Sharma (+44 7700 900456)" in gareth_sms
    )
    order = [gareth_sms.index(s) for s in ("Don't bother coming in Monday",
                                           "Please stop texting me", "You've got till Friday")]  # fmt: skip
    assert order == sorted(order)
    assert "Call me love x" not in gareth_sms and "Did you hear" not in gareth_sms
    assert sum("Call me love x" in t for t in texts) == 1
    mail = next(t for t in texts if "I have spoken to the board" in t)
    for needed in ("From Gareth Holloway <gareth@riverside.example>",
                   "To Priya Sharma <priya@riverside.example>", "Cc hr@riverside.example",
                   "Subject Your position", "Date Tue, 24 Nov 2026 09:14:00 +0000"):  # fmt: skip
        assert needed in mail, needed
    assert "Between: Gareth Holloway (+44 7700 900123)" in mail  # matched by his address
    if pdf:
        flat = " ".join(pdf.split())
        part = flat[flat.index("Conversations") :]
        assert "Cc: hr@riverside.example" in part and "Subject: Your position" in part


@needs_poppler
def test_pdf_sections_come_in_the_same_order(report: tuple[str, str, dict[str, int]]) -> None:
    _, pdf, _ = report
    flat = " ".join(pdf.split())
    places = []
    start = 0
    for heading in PDF_ORDER:
        start = flat.index(heading, start)
        places.append(start)
    assert places == sorted(places)


@needs_poppler
def test_pdf_truncates_nothing_long_names_and_urls_wrap(
    report: tuple[str, str, dict[str, int]],
) -> None:
    _, pdf, _ = report
    assert len(LONG_NAME) == 300 and len(LONG_URL) == 300
    joined = "".join(pdf.split())
    assert LONG_NAME in joined and LONG_URL in joined
    # The only ellipses: the custody table's short hashes (the full log is in the bag).
    cut = [line for line in pdf.splitlines() if "…" in re.sub(r"[0-9a-f]{16}…", "", line)]
    assert not cut, "\n".join(cut)


def test_what_this_audience_does_not_get_is_named_never_shown(vault: Vault, tmp_path: Path) -> None:
    ids = {**populate(vault), **populate_case(vault)}
    base = case_file(ids)
    shot = Incident(9, 1, 1, "2026-03-14T09:26:00+00:00", None, "Europe/London",
                    "Instagram post", items=(ids["shot2"],))  # fmt: skip
    chronology = (ChronologyEntry("2026-03-14T09:26:53Z", "2026-03-14T09:26:53+00:00",
                                  "Europe/London", "captured", "screenshot", "item 3",
                                  "SECRET-ORIGINAL-CAPTION", item_id=ids["shot2"]),
                  ChronologyEntry("2026-03-14T10:00:00Z", "2026-03-14T10:00:00+00:00",
                                  "Europe/London", "captured", "screenshot", "item 999",
                                  "NOT-IN-SCOPE-AT-ALL", item_id=99999))  # fmt: skip
    casefile = replace(base, incidents=(*base.incidents, shot), chronology=chronology)
    result = export_bundle(vault, Options(audience="manager", case=CASE), tmp_path / "o",
                           casefile=casefile)  # fmt: skip
    html = (unpack(result.zip_path, tmp_path / "m") / "bag/data/report/evidence-report.html"
            ).read_text("utf-8")  # fmt: skip
    assert_inert(html)
    incidents = _text(_section(html, "incidents"))
    assert re.search(r"Evidence TO/\d+ \(withheld from this bundle\)", incidents)
    chronology_text = _text(_section(html, "chronology"))
    assert "(withheld from this bundle)" in chronology_text
    assert "SECRET-ORIGINAL-CAPTION" not in html and "NOT-IN-SCOPE-AT-ALL" not in html


def test_a_thread_reads_in_sent_order_untimed_last_and_stops_at_its_limit(vault: Vault) -> None:
    from tests.bundle.report_case_data import add_import, message

    messages = [
        message(0, "Sam", "Sam", None, "2026-11-24T10:00:00Z", "2026-11-24T10:00:00+00:00", "c"),
        {**message(1, "Sam", "Sam", None, "", "", "undated"), "sent_at_utc": None},
        message(2, "Sam", "Me", None, "2026-11-20T10:00:00Z", "2026-11-20T10:00:00+00:00", "a"),
        message(3, "Other", "Jo", None, "2026-11-21T10:00:00Z", "2026-11-21T10:00:00+00:00", "x"),
        message(4, "Sam", "Sam", None, "2026-11-20T10:00:00Z", "2026-11-20T10:00:00+00:00", "b"),
    ]
    item = add_import(vault, "chat.txt", "whatsapp", "WhatsApp chat", b"chat", messages, {})
    read = [m["text"] for m in vault.conversation_messages(item, "Sam")]
    assert read == ["a", "b", "c", "undated"]  # same instant: file order
    assert [m["text"] for m in vault.conversation_messages(item, "Sam", limit=3)] == ["a", "b", "c"]
    assert [m["text"] for m in vault.conversation_messages(item, "Sam", limit=0)] == []
    threads = {t["conversation"]: t for t in vault.conversations(item)}
    assert threads["Sam"]["count"] == 4 and threads["Other"]["count"] == 1
    assert {s["sender"] for s in threads["Sam"]["senders"]} == {"Sam", "Me"}
