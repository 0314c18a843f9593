"""Names inside a bundle: ASCII payload names and exhibit labels."""

from __future__ import annotations

import re

import pytest

from evidence_kit.bundle.format.layout import ascii_name, exhibit_label, label_prefix, new_bundle_id
from evidence_kit.clock import FixedClock


@pytest.mark.parametrize(
    "original, expected",
    [
        ("screenshot.png", "screenshot.png"),
        ("Скриншот 2.png", "screenshot-2.png"),
        ("微信.jpg", "screenshot.jpg"),
        ("café menu.png", "cafe_menu.png"),
        ("C:\\Users\\me\\x.png", "x.png"),
        ("../../etc/passwd", "passwd"),
        ("item.json", "screenshot.bin"),
        ("messages.jsonl", "screenshot.bin"),
        (None, "screenshot.bin"),
        ("", "screenshot.bin"),
        ("invoice\u202egnp.exe", "screenshot-invoicegnp.exe"),
    ],
)
def test_ascii_names(original: str | None, expected: str) -> None:
    assert ascii_name(original, "screenshot.bin") == expected


def test_long_names_keep_their_extension() -> None:
    name = ascii_name("a" * 300 + ".png", "file.bin")
    assert len(name) == 80 and name.endswith(".png")
    assert re.fullmatch(r"[A-Za-z0-9._-]+", name)


@pytest.mark.parametrize(
    "owner, prefix",
    [("Priya Rao", "PR"), ("Ólafur Arnalds", "OA"), ("", "EX"), (None, "EX"), ("李 小龙", "EX")],
)
def test_label_prefix(owner: str | None, prefix: str) -> None:
    assert label_prefix(owner) == prefix
    assert exhibit_label(prefix, 3) == f"{prefix}/3"


def test_bundle_ids_are_unique_and_dated() -> None:
    moment = FixedClock().now()
    ids = {new_bundle_id(moment) for _ in range(100)}
    assert len(ids) == 100
    assert all(re.fullmatch(r"EVB-20260314-[0-9A-F]{8}", i) for i in ids)
