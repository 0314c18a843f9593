"""Fictional evidence for GUI tests: screenshots made with Pillow, a file, a case."""

from __future__ import annotations

import io

from evidence_kit.model import ItemKind
from evidence_kit.ui.tasks import Job


def png(width: int = 320, height: int = 200, colour: tuple[int, int, int] = (40, 90, 160)) -> bytes:
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (width, height), colour)
    ImageDraw.Draw(picture).rectangle((20, 20, width - 20, 60), fill=(250, 250, 250))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def screenshot_metadata(when: str, url: str, account: str, what: str) -> dict[str, object]:
    return {
        "capture": {
            "captured_at_utc": when,
            "captured_at_local": when.replace("Z", "+00:00"),
            "timezone": "Europe/London",
            "utc_offset": "+00:00",
            "method": "all",
            "monitor": None,
            "monitors": [{"left": 0, "top": 0, "width": 320, "height": 200}],
            "region": None,
            "encoder": "test",
        },
        "place": {
            "url": url,
            "platform": "Facebook",
            "account": account,
            "window_title": "Facebook — Mozilla Firefox",
            "application": "firefox",
        },
        "device": {"os": "Linux", "hostname": "test", "os_user": "test", "program": "Evidence Kit"},
        "description": what,
    }


def add_screenshots(job: Job, count: int = 3, case: str | None = "Work") -> list[int]:
    vault = job.need_vault()
    ids = []
    with vault.transaction() as writer:
        for number in range(count):
            data = png(colour=(40 + number * 30, 90, 160))
            sha, size = writer.put([data])
            item = writer.add_item(
                ItemKind.SCREENSHOT,
                sha256=sha,
                size=size,
                media_type="image/png",
                original_name=f"screenshot-{number}.png",
                case=case,
                metadata=screenshot_metadata(
                    f"2026-03-1{number}T09:26:53.589793Z",
                    f"https://facebook.example/post/{number}",
                    "@not_a_real_person",
                    "A nasty comment under my photo",
                ),
            )
            ids.append(item.id)
    return ids
