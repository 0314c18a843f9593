"""save_capture(): what is stored, under which metadata, all or nothing."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from PIL import Image

from evidence_kit.capture import PLATFORMS, Details, Target, WindowInfo, capture, grab, save_capture
from evidence_kit.capture.encode import LEVEL
from evidence_kit.errors import Cancelled
from evidence_kit.model import ItemKind
from evidence_kit.vault import Vault
from tests.capture.fakes import FakeGrabber, pattern

DESKTOP = pattern(320, 240, seed=3)
WINDOW = WindowInfo("Messages — Bully McBully", "chromium", (40, 30, 200, 100), "input focus")
DETAILS = Details(
    url=" https://example.com/post/1 ",
    platform="tiktok",
    account="@bully",
    description="Posted my address",
    case="Work",
    note="Seen at lunch",
)


def stored(vault: Vault, item_id: int) -> bytes:
    return b"".join(vault.content(item_id))


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_full_frame_is_stored_losslessly_with_the_metadata_contract(vault: Vault) -> None:
    frame = grab(Target.all_monitors(), FakeGrabber(DESKTOP, window=WINDOW), clock=vault.clock)
    (item,) = save_capture(vault, frame, DETAILS)
    data = stored(vault, item.id)
    assert item.kind is ItemKind.SCREENSHOT and item.media_type == "image/png"
    assert item.sha256 == hashlib.sha256(data).hexdigest() and item.size == len(data)
    image = decode(data)
    assert image.mode == "RGB" and image.tobytes() == DESKTOP.tobytes()
    meta: dict[str, Any] = item.metadata
    assert set(meta) >= {"capture", "place", "device", "description"}
    shot = meta["capture"]
    for key in ("captured_at_utc", "captured_at_local", "timezone", "utc_offset", "before_utc",
                "after_utc", "method", "monitor", "monitors", "region", "encoder"):  # fmt: skip
        assert key in shot, key
    assert shot["method"] == "all" and shot["monitor"] is None and shot["region"] is None
    assert shot["monitors"] == [{"left": 0, "top": 0, "width": 320, "height": 240}]
    assert shot["before_utc"] <= shot["captured_at_utc"] <= shot["after_utc"]
    assert shot["pixels_sha256"] == hashlib.sha256(image.tobytes()).hexdigest()
    assert "zlib" in shot["encoder"] and f"level {LEVEL}" in shot["encoder"]
    assert meta["place"] == {
        "url": "https://example.com/post/1",
        "platform": "TikTok",
        "account": "@bully",
        "window_title": "Messages — Bully McBully",
        "application": "chromium",
        "window_rectangle": [40, 30, 200, 100],
        "window_source": "input focus",
    }
    assert set(meta["device"]) == {"os", "hostname", "os_user", "program"}
    assert meta["device"]["program"].startswith("Evidence Kit ")
    assert meta["description"] == "Posted my address"
    assert item.case == "Work"
    assert [note.text for note in item.notes] == ["Seen at lunch"]
    thumb = decode(vault.thumbnail(item.id) or b"")
    assert max(thumb.size) <= 320


def test_region_makes_a_derived_crop_naming_its_parent(vault: Vault) -> None:
    frame = grab(Target.area(10, 20, 64, 48), FakeGrabber(DESKTOP), clock=vault.clock)
    progress: list[tuple[int, int | None]] = []
    full, crop = save_capture(
        vault, frame, Details(), progress=lambda d, t: progress.append((d, t))
    )
    assert decode(stored(vault, full.id)).tobytes() == DESKTOP.tobytes()
    assert crop.kind is ItemKind.DERIVED and crop.parent_id == full.id
    assert crop.metadata["derived"] == {
        "from_sha256": full.sha256,
        "operation": "crop",
        "rectangle": [10, 20, 64, 48],
    }
    assert crop.metadata["capture"] == full.metadata["capture"]
    assert crop.metadata["capture"]["region"] == [10, 20, 64, 48]
    assert decode(stored(vault, crop.id)).tobytes() == DESKTOP.crop((10, 20, 74, 68)).tobytes()
    assert vault.thumbnail(crop.id) and vault.thumbnail(full.id)
    assert [c.id for c in vault.children(full.id)] == [crop.id]
    assert progress[-1][0] == progress[-1][1] and len(progress) >= 3
    place = full.metadata["place"]
    assert place["window_title"] == place["application"] == "not available"
    assert place["url"] is None and place["platform"] is None and place["account"] is None


@pytest.mark.parametrize("stop_at", [1, 2, 3, 4, 5])
def test_cancel_at_any_step_stores_nothing(vault: Vault, stop_at: int) -> None:
    items_before = len(vault.items())
    events_before = len(vault.custody_events())
    frame = grab(Target.area(0, 0, 50, 50), FakeGrabber(DESKTOP), clock=vault.clock)
    calls = 0

    def cancel() -> bool:
        nonlocal calls
        calls += 1
        return calls >= stop_at

    with pytest.raises(Cancelled):
        save_capture(vault, frame, DETAILS, cancel=cancel)
    assert len(vault.items()) == items_before
    assert len(vault.custody_events()) == events_before
    assert vault.cases() == []


def test_capture_with_delay_and_injected_grabber(vault: Vault) -> None:
    grabber = FakeGrabber(DESKTOP, [(0, 0, 160, 240), (160, 0, 160, 240)])
    items = capture(
        vault, Target.one_monitor(2), Details(platform="X"), delay=0.05, grabber=grabber
    )
    assert len(items) == 1 and not grabber.closed  # the caller's grabber stays open
    assert (
        decode(stored(vault, items[0].id)).tobytes() == DESKTOP.crop((160, 0, 320, 240)).tobytes()
    )
    assert items[0].metadata["capture"]["monitor"] == 2
    assert items[0].metadata["place"]["platform"] == "X"


def test_platforms_list() -> None:
    assert PLATFORMS == (
        "Facebook", "Instagram", "X", "TikTok", "Snapchat", "WhatsApp Web", "e-mail", "Teams",
        "Slack", "other",
    )  # fmt: skip


def test_custody_records_the_capture(vault: Vault) -> None:
    frame = grab(Target.area(0, 0, 8, 8), FakeGrabber(DESKTOP), clock=vault.clock)
    full, crop = save_capture(vault, frame, Details())
    actions = {(e.action, e.subject) for e in vault.custody_events()}
    assert ("screenshot captured", f"item:{full.id}") in actions
    assert ("crop derived", f"item:{crop.id}") in actions


def test_delay_is_waited_and_can_be_cancelled(vault: Vault) -> None:
    import time

    start = time.perf_counter()
    capture(vault, Target.all_monitors(), Details(), delay=0.3, grabber=FakeGrabber(DESKTOP))
    assert time.perf_counter() - start >= 0.3
    count = len(vault.items())
    grabber = FakeGrabber(DESKTOP)
    start = time.perf_counter()
    with pytest.raises(Cancelled):
        capture(vault, Target.all_monitors(), Details(), delay=30, grabber=grabber,
                cancel=lambda: time.perf_counter() - start > 0.2)  # fmt: skip
    assert time.perf_counter() - start < 5 and grabber.grabs == []
    assert len(vault.items()) == count


def test_a_frame_prepared_ahead_is_stored_byte_for_byte_as_one_encoded_while_saved(
    vault: Vault,
) -> None:
    """The command line encodes while the vault unlocks: the stored PNG, thumbnail and crop are
    exactly those the streamed path makes."""
    from evidence_kit.capture import prepare

    region = Target.area(20, 10, 100, 80)
    frame = grab(region, FakeGrabber(DESKTOP, window=WINDOW), clock=vault.clock)
    streamed = save_capture(vault, frame, Details(case="Work"))
    ahead = save_capture(vault, frame, Details(case="Work"), prepared=prepare(frame))
    assert [i.sha256 for i in ahead] == [i.sha256 for i in streamed]
    assert [i.kind for i in ahead] == [ItemKind.SCREENSHOT, ItemKind.DERIVED]
    assert decode(stored(vault, ahead[0].id)).tobytes() == DESKTOP.tobytes()
    assert vault.thumbnail(ahead[0].id) == vault.thumbnail(streamed[0].id)
    assert vault.thumbnail(ahead[1].id) == vault.thumbnail(streamed[1].id)


def test_the_time_shown_on_the_post_dates_the_capture_and_its_crop(vault: Vault) -> None:
    from dataclasses import replace

    from evidence_kit.evidence_time import Which, posted_metadata

    posted = posted_metadata("2026-11-19T20:05", "Europe/London")
    frame = grab(
        Target.area(10, 10, 100, 80), FakeGrabber(DESKTOP, window=WINDOW), clock=vault.clock
    )
    items = save_capture(vault, frame, replace(DETAILS, posted=posted))
    for item in items:  # the full frame and its crop
        assert item.metadata["posted"] == posted
        assert item.evidence_time.which is Which.POSTED
        assert item.evidence_time.local.hour == 20 and item.evidence_time.zone == "Europe/London"
        assert item.metadata["capture"]["captured_at_utc"]  # the capture time stays beside it
