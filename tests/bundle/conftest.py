"""A vault holding one of every kind of evidence, made through the vault API as capture and the
importers make it (the metadata contract of the common brief), and bundles exported from it."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from evidence_kit.bundle.export import ExportResult, Options, export_bundle
from evidence_kit.model import ItemKind
from evidence_kit.vault import Vault

CASE = "Harassment at work"


def png(width: int = 320, height: int = 200, text: str = "hello", colour: str = "white") -> bytes:
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, width - 10, 40), fill=(30, 60, 120))
    draw.text((16, 60), text, fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def capture_meta(
    url: str | None, *, description: str = "A post about me", **place: Any
) -> dict[str, Any]:
    return {
        "capture": {
            "captured_at_utc": "2026-03-14T09:26:53.589793Z",
            "captured_at_local": "2026-03-14T09:26:53.589793+00:00",
            "timezone": "Europe/London",
            "utc_offset": "+00:00",
            "before_utc": "2026-03-14T09:26:53.500000Z",
            "after_utc": "2026-03-14T09:26:53.600000Z",
            "method": "monitor",
            "monitor": 1,
            "monitors": [{"left": 0, "top": 0, "width": 320, "height": 200}],
            "region": None,
            "encoder": "mss.tools.to_png level 1",
        },
        "place": {
            "url": url,
            "platform": place.get("platform", "Facebook"),
            "account": place.get("account", "@bully"),
            "window_title": place.get("window_title", "Facebook - Firefox"),
            "application": "firefox",
        },
        "device": {
            "os": "Linux",
            "hostname": "pc",
            "os_user": "priya",
            "program": "Evidence Kit 0.1.0",
        },
        "description": description,
    }


def add_screenshot(
    vault: Vault,
    data: bytes,
    meta: dict[str, Any],
    *,
    name: str = "screenshot.png",
    case: str = CASE,
    parent_id: int | None = None,
    kind: ItemKind = ItemKind.SCREENSHOT,
) -> int:
    with vault.transaction() as w:
        sha, size = w.put([data])
        item = w.add_item(
            kind,
            sha256=sha,
            size=size,
            media_type="image/png",
            original_name=name,
            case=case,
            parent_id=parent_id,
            metadata=meta,
        )
    return item.id


def populate(vault: Vault) -> dict[str, int]:
    ids: dict[str, int] = {}
    full = png(text="full frame")
    ids["shot"] = add_screenshot(vault, full, capture_meta("https://www.facebook.com/post/1"))
    parent = vault.item(ids["shot"])
    crop_meta = {
        **capture_meta("https://www.facebook.com/post/1"),
        "derived": {
            "from_sha256": parent.sha256,
            "operation": "crop",
            "rectangle": [0, 0, 160, 100],
        },
    }
    ids["crop"] = add_screenshot(
        vault,
        png(160, 100, "crop"),
        crop_meta,
        name="crop.png",
        parent_id=ids["shot"],
        kind=ItemKind.DERIVED,
    )
    ids["shot2"] = add_screenshot(
        vault,
        png(text="second", colour="#ffe"),
        capture_meta(None, platform="Instagram"),
        name="Скриншот 2.png",
    )
    red_meta = {
        **capture_meta(None, platform="Instagram"),
        "derived": {
            "from_sha256": vault.item(ids["shot2"]).sha256,
            "operation": "redaction",
            "rectangle": [0, 0, 320, 200],
        },
    }
    ids["redacted"] = add_screenshot(
        vault,
        png(text="redacted", colour="black"),
        red_meta,
        name="redacted.png",
        parent_id=ids["shot2"],
        kind=ItemKind.DERIVED,
    )
    chat = b"14/03/2026, 09:00 - Bully: you are useless\n14/03/2026, 09:01 - Me: please stop\n"
    with vault.transaction() as w:
        sha, size = w.put([chat])
        item = w.add_item(
            ItemKind.IMPORT,
            sha256=sha,
            size=size,
            media_type="text/plain",
            original_name="WhatsApp Chat with Bully.txt",
            case=CASE,
            metadata={
                "import": {
                    "format": "whatsapp",
                    "label": "WhatsApp chat",
                    "timezone": "Europe/London",
                    "date_order": "DMY",
                }
            },
        )
        att_sha, att_size = w.put([png(40, 40, "att")])
        att = w.add_item(
            ItemKind.ATTACHMENT,
            sha256=att_sha,
            size=att_size,
            media_type="image/png",
            original_name="IMG-0001.png",
            case=CASE,
            parent_id=item.id,
            metadata={},
        )
        w.add_messages(
            item.id,
            [
                {
                    "idx": 0,
                    "conversation": "Bully",
                    "sender": "Bully",
                    "is_system": False,
                    "sent_at": "2026-03-14T09:00:00+00:00",
                    "sent_at_utc": "2026-03-14T09:00:00Z",
                    "sent_at_local": "2026-03-14T09:00:00",
                    "text": "you are useless",
                    "text_raw": "you are useless",
                    "attachments": [
                        {
                            "name": "IMG-0001.png",
                            "omitted": False,
                            "present": True,
                            "item_id": att.id,
                            "sha256": att_sha,
                        }
                    ],
                    "extra": {},
                },
                {
                    "idx": 1,
                    "conversation": "Bully",
                    "sender": "Me",
                    "is_system": False,
                    "sent_at": "2026-03-15T09:01:00+00:00",
                    "sent_at_utc": "2026-03-15T09:01:00Z",
                    "sent_at_local": "2026-03-15T09:01:00",
                    "text": "please stop",
                    "text_raw": "please stop",
                    "attachments": [],
                    "extra": {},
                },
            ],
        )
        w.record_import(
            item.id, "whatsapp", "Europe/London", {"message_count": 2, "attachment_count": 1}
        )
    ids["import"], ids["attachment"] = item.id, att.id
    with vault.transaction() as w:
        sha, size = w.put([b"%PDF-1.4 a letter\n"])
        ids["file"] = w.add_item(
            ItemKind.FILE,
            sha256=sha,
            size=size,
            media_type="application/pdf",
            original_name="letter.pdf",
            case=CASE,
            metadata={},
        ).id
        ids["note"] = w.add_item(
            ItemKind.NOTE,
            sha256=None,
            size=0,
            case=CASE,
            metadata={"description": "What happened on Monday"},
        ).id
        w.add_note(ids["shot"], "Posted in the staff group")
        sha, size = w.put([b"a mistake"])
        ids["withdrawn"] = w.add_item(
            ItemKind.FILE,
            sha256=sha,
            size=size,
            media_type="text/plain",
            original_name="wrong.txt",
            case=CASE,
            metadata={},
        ).id
        w.withdraw(ids["withdrawn"], "Added by mistake")
    return ids


@pytest.fixture
def evidence(vault: Vault) -> dict[str, int]:
    return populate(vault)


Exporter = Callable[..., ExportResult]


@pytest.fixture
def export(vault: Vault, evidence: dict[str, int], tmp_path: Path) -> Exporter:
    def run(audience: str = "police", **kwargs: Any) -> ExportResult:
        options = Options(audience=audience, case=kwargs.pop("case", CASE), **kwargs)
        return export_bundle(vault, options, tmp_path / "out")

    return run


def unpack(zip_path: Path, into: Path) -> Path:
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(into)
    (top,) = list(into.iterdir())
    return top
