"""Redacting a picture with a proof: opaque boxes, every other pixel exactly the parent's, and a
salted commitment to what each box hides.

The parent is decoded to 8-bit RGBA by one named decoder (Pillow), no orientation applied; its
decoded pixels' SHA-256 is in the proof. Each box's commitment is
SHA-256(salt ‖ "evidence-kit-box-v1|<x>,<y>,<w>,<h>|<width>x<height>|" ‖ the box's RGBA rows);
the salts stay in the vault, so a commitment says nothing of what it hides until the owner
discloses one salt to one recipient (`evidence-kit disclose`). A holder of the original — the
police, later — can then check what the manager was shown (`evidence-kit verify-redaction`).

A JPEG (lossy) parent gives the same kind of proof over its decoded pixels, but another decoder
(or version) may decode a JPEG slightly differently: the proof says so, and records the decoder.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass
from typing import Any

from evidence_kit.errors import EvidenceKitError

SCHEME = "evidence-kit-picture-redaction-v1"
FILL = (0, 0, 0, 255)  # opaque black: never a blur or a pixelation, which can be undone
LOSSLESS = {"PNG", "BMP", "TIFF", "GIF", "PPM"}


class RedactionError(EvidenceKitError):
    """The redaction could not be made."""

    exit_code = 2


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int

    @classmethod
    def parse(cls, text: str) -> Box:
        try:
            x, y, w, h = (int(part.strip()) for part in text.split(","))
        except ValueError:
            raise RedactionError(
                f"The box {text!r} is not four whole numbers X,Y,WIDTH,HEIGHT.",
                hint="For example --box 120,340,400,60 (pixels from the top-left corner).",
            ) from None
        return cls(x, y, w, h)

    def as_list(self) -> list[int]:
        return [self.x, self.y, self.w, self.h]


def decoder_name() -> str:
    import PIL

    return f"Pillow {PIL.__version__}, 8-bit RGBA, no orientation applied"


@dataclass(frozen=True)
class Pixels:
    width: int
    height: int
    rgba: bytes
    lossless: bool
    format: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.rgba).hexdigest()


def decode(data: bytes, what: str = "the picture") -> Pixels:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            fmt = str(image.format or "")
            rgba = image.convert("RGBA")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise RedactionError(f"{what.capitalize()} cannot be read as a picture ({exc}).") from exc
    lossless = fmt in LOSSLESS or (fmt == "WEBP" and bool(getattr(image, "lossless", False)))
    return Pixels(rgba.width, rgba.height, rgba.tobytes(), lossless, fmt)


def _check_boxes(boxes: list[Box], width: int, height: int) -> None:
    if not boxes:
        raise RedactionError("Say what to hide: at least one box.")
    for number, box in enumerate(boxes, start=1):
        if box.w <= 0 or box.h <= 0:
            raise RedactionError(f"Box {number} ({box.as_list()}) has no width or height.")
        if box.x < 0 or box.y < 0 or box.x + box.w > width or box.y + box.h > height:
            raise RedactionError(
                f"Box {number} ({box.as_list()}) goes outside the picture, which is "
                f"{width}x{height} pixels."
            )


def _region(pixels: bytes, width: int, box: Box) -> bytes:
    stride = width * 4
    return b"".join(
        pixels[row * stride + box.x * 4 : row * stride + (box.x + box.w) * 4]
        for row in range(box.y, box.y + box.h)
    )


def _paint(pixels: bytearray, width: int, box: Box) -> None:
    stride = width * 4
    line = bytes(FILL) * box.w
    for row in range(box.y, box.y + box.h):
        start = row * stride + box.x * 4
        pixels[start : start + box.w * 4] = line


def commitment(salt: bytes, box: Box, width: int, height: int, region: bytes) -> str:
    label = f"evidence-kit-box-v1|{box.x},{box.y},{box.w},{box.h}|{width}x{height}|".encode()
    return hashlib.sha256(salt + label + region).hexdigest()


@dataclass(frozen=True)
class Redacted:
    png: bytes
    proof: dict[str, Any]
    salts: list[bytes]


def redact(parent: bytes, parent_sha256: str, boxes: list[Box], reason: str) -> Redacted:
    """The redacted copy of a picture, its proof, and the salts (which stay in the vault)."""
    from PIL import Image

    reason = reason.strip()
    if not reason:
        raise RedactionError("Say why these parts are hidden: a reason is kept with the copy.")
    source = decode(parent, "the picture to redact")
    _check_boxes(boxes, source.width, source.height)
    salts = [secrets.token_bytes(32) for _ in boxes]
    painted = bytearray(source.rgba)
    listed = []
    for box, salt in zip(boxes, salts, strict=True):
        region = _region(source.rgba, source.width, box)
        listed.append({"box": box.as_list(),
                       "commitment": commitment(salt, box, source.width, source.height, region)})  # fmt: skip
        _paint(painted, source.width, box)
    out = io.BytesIO()
    Image.frombytes("RGBA", (source.width, source.height), bytes(painted)).save(
        out, "PNG", compress_level=6
    )
    proof = {
        "scheme": SCHEME,
        "decoder": decoder_name(),
        "parent_sha256": parent_sha256,
        "parent_format": source.format,
        "parent_pixels_sha256": source.sha256,
        "width": source.width,
        "height": source.height,
        "fill": list(FILL),
        "boxes": listed,
        "reason": reason,
        "strength": "exact" if source.lossless else (
            "weaker: the parent is a lossy picture; another decoder may decode it slightly "
            "differently, so check with the decoder named here"
        ),
    }  # fmt: skip
    return Redacted(out.getvalue(), proof, salts)


def check(
    redacted: bytes, original: bytes, proof: dict[str, Any], salts: dict[int, bytes] | None = None
) -> list[str]:
    """What is wrong with the claim that `redacted` derives from `original` as `proof` says
    (an empty list: it does). `salts` (box number from 1 -> salt) opens those commitments."""
    problems: list[str] = []
    if proof.get("scheme") != SCHEME:
        return [f"the proof is not a picture redaction proof ({proof.get('scheme')!r})"]
    try:
        made = decode(redacted, "the redacted copy")
        source = decode(original, "the original")
    except RedactionError as exc:
        return [exc.message]
    if hashlib.sha256(original).hexdigest() != proof.get("parent_sha256"):
        problems.append("the original's SHA-256 is not the one the proof names")
    if source.sha256 != proof.get("parent_pixels_sha256"):
        problems.append("the original's decoded pixels are not the ones the proof names")
    if (made.width, made.height) != (source.width, source.height):
        return [*problems, f"the copy is {made.width}x{made.height}, the original "
                f"{source.width}x{source.height}"]  # fmt: skip
    boxes: list[Box] = []
    for entry in proof.get("boxes") or []:
        try:
            boxes.append(Box(*[int(v) for v in entry["box"]]))
        except (KeyError, TypeError, ValueError):
            return [*problems, "the proof's boxes cannot be read"]
    try:
        _check_boxes(boxes, source.width, source.height)
    except RedactionError as exc:
        return [*problems, exc.message]
    expected = bytearray(source.rgba)
    masked = bytearray(made.rgba)  # the copy with the boxes painted again: what is left is outside
    for number, box in enumerate(boxes, start=1):
        inside = _region(made.rgba, made.width, box)
        if inside != bytes(FILL) * (box.w * box.h):
            problems.append(f"box {number} ({box.as_list()}) is not filled opaque in the copy")
        _paint(expected, source.width, box)
        _paint(masked, made.width, box)
    if masked != expected:
        x, y = _first_difference(bytes(masked), bytes(expected), source.width)
        problems.append(
            f"pixels outside the boxes differ from the original (the first at x={x}, y={y})"
        )
    for number, salt in (salts or {}).items():
        if not 1 <= number <= len(boxes):
            problems.append(f"there is no box {number} to open")
            continue
        box = boxes[number - 1]
        region = _region(source.rgba, source.width, box)
        if commitment(salt, box, source.width, source.height, region) != proof["boxes"][
            number - 1
        ].get("commitment"):
            problems.append(f"box {number}'s commitment does not open with this salt and original")
    return problems


def _first_difference(a: bytes, b: bytes, width: int) -> tuple[int, int]:
    stride = width * 4
    for y in range(len(a) // stride):
        row_a, row_b = a[y * stride : (y + 1) * stride], b[y * stride : (y + 1) * stride]
        if row_a != row_b:
            x = next(
                i for i in range(width) if row_a[i * 4 : i * 4 + 4] != row_b[i * 4 : i * 4 + 4]
            )
            return x, y
    return 0, 0
