"""Picture redaction: pixel-exact round trips, proofs that catch a moved box, a pixel changed
outside the boxes, a box not opaque, a wrong salt — each failing and saying why."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest
from PIL import Image

from evidence_kit.redaction import pictures
from evidence_kit.redaction.pictures import Box, RedactionError
from evidence_kit.redaction.store import disclose, redact_picture
from evidence_kit.vault import Vault
from evidence_kit.vault.check import check_vault
from tests.conftest import Cli


def screen(width: int = 320, height: int = 200, seed: int = 1, mode: str = "RGB") -> bytes:
    rng = random.Random(seed)
    image = Image.frombytes(mode, (width, height), rng.randbytes(width * height * len(mode)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def add_picture(vault: Vault, data: bytes, name: str = "post.png", media: str = "image/png") -> int:
    from evidence_kit.model import ItemKind

    with vault.transaction() as writer:
        sha, size = writer.put([data])
        return writer.add_item(ItemKind.SCREENSHOT, sha256=sha, size=size, media_type=media,
                               original_name=name, case="Work",
                               metadata={"place": {"url": "https://example.social/p/1"}}).id  # fmt: skip


def rgba(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGBA")


BOXES = [Box(10, 20, 50, 30), Box(200, 150, 100, 40)]


def test_a_redacted_copy_hides_the_boxes_and_keeps_every_other_pixel(vault: Vault) -> None:
    original = screen()
    parent_id = add_picture(vault, original)
    item = redact_picture(vault, parent_id, BOXES, "the name of a colleague")
    copy = b"".join(vault.content(item.id))
    made, source = rgba(copy), rgba(original)
    assert made.size == source.size
    for y in range(source.height):
        for x in range(source.width):
            inside = any(b.x <= x < b.x + b.w and b.y <= y < b.y + b.h for b in BOXES)
            assert made.getpixel((x, y)) == ((0, 0, 0, 255) if inside else source.getpixel((x, y)))
    derived = item.metadata["derived"]
    assert (
        derived["operation"] == "redaction"
        and derived["from_sha256"] == vault.item(parent_id).sha256
    )
    proof = derived["proof"]
    assert proof["parent_pixels_sha256"] == pictures.decode(original).sha256
    assert proof["strength"] == "exact" and "Pillow" in proof["decoder"]
    assert len(proof["boxes"]) == 2 and all(len(b["commitment"]) == 64 for b in proof["boxes"])
    assert item.parent_id == parent_id and item.metadata["place"]["url"].startswith("https://")
    assert b"".join(vault.content(parent_id)) == original  # the original untouched
    assert pictures.check(copy, original, proof) == []
    actions = [e.action for e in vault.custody_events(f"item:{item.id}")]
    assert actions[:2] == ["redaction made", "redaction salts kept"]  # then queued for a time-stamp
    assert check_vault(vault).ok


def test_a_disclosed_salt_opens_its_box_and_no_other(vault: Vault) -> None:
    original = screen(seed=2)
    item = redact_picture(vault, add_picture(vault, original), BOXES, "a phone number")
    copy = b"".join(vault.content(item.id))
    proof = item.metadata["derived"]["proof"]
    opened = disclose(vault, item.id, box=2)
    salt = bytes.fromhex(opened["parts"][0]["salt"])
    assert opened["parts"][0]["part"] == 2 and opened["redacted_sha256"] == item.sha256
    assert pictures.check(copy, original, proof, {2: salt}) == []
    problems = pictures.check(copy, original, proof, {1: salt})
    assert problems == ["box 1's commitment does not open with this salt and original"]
    assert "redaction part disclosed" in [e.action for e in vault.custody_events(f"item:{item.id}")]


def test_each_tampering_fails_and_says_why(vault: Vault) -> None:
    original = screen(seed=3)
    item = redact_picture(vault, add_picture(vault, original), BOXES, "a bystander")
    copy = b"".join(vault.content(item.id))
    proof = item.metadata["derived"]["proof"]
    # A pixel outside the boxes changed.
    image = rgba(copy)
    image.putpixel((5, 5), (1, 2, 3, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    assert pictures.check(out.getvalue(), original, proof) == [
        "pixels outside the boxes differ from the original (the first at x=5, y=5)"
    ]
    # A box moved in the proof (the copy still painted where it was).
    moved = json.loads(json.dumps(proof))
    moved["boxes"][0]["box"] = [12, 20, 50, 30]
    found = pictures.check(copy, original, moved)
    assert any("box 1" in p and "not filled opaque" in p for p in found)
    assert any("pixels outside the boxes differ" in p for p in found)
    # A box left partly visible.
    image = rgba(copy)
    image.putpixel((210, 160), (255, 255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    assert pictures.check(out.getvalue(), original, proof) == [
        "box 2 ([200, 150, 100, 40]) is not filled opaque in the copy"
    ]
    # Another original.
    assert "the original's decoded pixels are not the ones the proof names" in pictures.check(
        copy, screen(seed=4), proof
    )
    # A wrong salt.
    assert pictures.check(copy, original, proof, {1: bytes(32)}) == [
        "box 1's commitment does not open with this salt and original"
    ]


def test_a_jpeg_parent_gives_a_png_copy_with_a_weaker_proof(vault: Vault) -> None:
    image = Image.open(io.BytesIO(screen(seed=5)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    item = redact_picture(
        vault, add_picture(vault, out.getvalue(), "p.jpg", "image/jpeg"), BOXES, "x"
    )
    assert item.media_type == "image/png"
    assert item.metadata["derived"]["proof"]["strength"].startswith("weaker")
    assert pictures.check(b"".join(vault.content(item.id)), out.getvalue(),
                          item.metadata["derived"]["proof"]) == []  # fmt: skip


@pytest.mark.parametrize(
    ("boxes", "reason", "message"),
    [
        ([Box(300, 150, 50, 10)], "x", "goes outside the picture, which is 320x200 pixels"),
        ([Box(0, 0, 0, 10)], "x", "has no width or height"),
        ([], "x", "at least one box"),
        (BOXES, "  ", "a reason is kept"),
    ],
)
def test_bad_boxes_and_no_reason_are_refused_and_nothing_is_made(
    vault: Vault, boxes: list[Box], reason: str, message: str
) -> None:
    parent = add_picture(vault, screen())
    before = vault.last_item_id()
    with pytest.raises(RedactionError, match=message):
        redact_picture(vault, parent, boxes, reason)
    assert vault.last_item_id() == before


def test_the_command_line_redacts_discloses_and_verifies(cli: Cli, tmp_path: Path) -> None:
    picture = tmp_path / "post.png"
    original = screen(seed=6)
    picture.write_bytes(original)
    assert cli("add", str(picture)).exit_code == 0
    made = cli("redact", "1", "--box", "10,20,50,30", "--box", "200,150,100,40",
               "--reason", "a colleague's name", "--json")  # fmt: skip
    assert made.exit_code == 0, made.output
    result = json.loads(made.stdout)
    copy = tmp_path / "copy.png"
    assert cli("extract", str(result["item_id"]), "--out", str(copy)).exit_code == 0
    (tmp_path / "item.json").write_text(json.dumps({"derived": {"proof": result["proof"]}}))
    good = cli("verify-redaction", str(copy), str(picture))
    assert good.exit_code == 0 and "only the hidden parts changed" in good.stdout, good.output
    salt = tmp_path / "box2.json"
    assert cli("disclose", str(result["item_id"]), "--box", "2", "--out", str(salt)).exit_code == 0
    opened = cli("verify-redaction", str(copy), str(picture), "--salt", str(salt))
    assert opened.exit_code == 0 and "hidden part(s) 2 opened and match" in opened.stdout
    other = tmp_path / "other.png"
    other.write_bytes(screen(seed=7))
    bad = cli("verify-redaction", str(copy), str(other))
    assert bad.exit_code == 1 and "NOT a faithful redaction" in bad.stdout
    refused = cli("redact", "1", "--box", "1,2,3", "--reason", "x")
    assert refused.exit_code != 0 and "four whole numbers" in refused.output
