"""Benchmark content shaped like real life, not like the parser or the encoder.

`screenshot(n)`: a 2560×1440 (or any size) screen of a social-media page — a light page with
lines of text, a header bar, buttons, and a photo filling about a third of it. The photo is made
of smooth shapes, gradients and sensor-like noise, so the PNG is a few MB and a JPEG of it is not
much smaller: the cost of real captures, not of flat colour that compresses to nothing. Every `n`
gives different pixels (nothing is stored twice by the vault's de-duplication).

`screen_pixels(n)` gives the same screen as raw RGB bytes (what a screen grab returns).
"""

from __future__ import annotations

import io
import random
import zlib
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter, ImageFont

WORDS = [
    "you",
    "really",
    "think",
    "anyone",
    "cares",
    "what",
    "you",
    "say",
    "lol",
    "everyone",
    "at",
    "work",
    "knows",
    "what",
    "you",
    "did",
    "stop",
    "posting",
    "or",
    "I",
    "will",
    "make",
    "sure",
    "they",
    "all",
    "see",
    "it",
    "watch",
    "your",
    "back",
    "tomorrow",
    "nobody",
    "likes",
    "you",
    "seen",
    "your",
    "car",
    "outside",
    "again",
    "funny",
    "how",
    "that",
    "works",
    "reply",
    "when",
    "you",
    "get",
    "this",
]


@lru_cache(maxsize=4)
def _photo(width: int, height: int, seed: int) -> Image.Image:
    """A photo-like picture: blurred shapes and gradients with fine noise on top."""
    rng = random.Random(seed)
    base = Image.new("RGB", (width // 8, height // 8))
    draw = ImageDraw.Draw(base)
    for _ in range(40):
        x, y = rng.randrange(base.width), rng.randrange(base.height)
        r = rng.randrange(4, max(5, base.width // 3))
        colour = tuple(rng.randrange(30, 230) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)  # type: ignore[arg-type]
    smooth = base.filter(ImageFilter.GaussianBlur(3)).resize(
        (width, height), Image.Resampling.BICUBIC
    )
    noise = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    return Image.blend(smooth, noise, 0.25)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default()


def screen(n: int, width: int = 2560, height: int = 1440, *, photo: bool = True) -> Image.Image:
    rng = random.Random(n)
    page = Image.new("RGB", (width, height), (246, 247, 249))
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, width, height // 18), fill=(59, 89, 152))  # the site's header bar
    draw.text(
        (width // 40, height // 70),
        f"social.example — post {n}",
        fill="white",
        font=_font(height // 40),
    )
    column = (width // 5, height // 12, width * 4 // 5, height)
    draw.rectangle(column, fill="white")
    photo_box = (column[0] + 20, height // 3, column[2] - 20, height // 3 + height // 2)
    if photo:
        picture = _photo(photo_box[2] - photo_box[0], photo_box[3] - photo_box[1], n % 4)
        page.paste(picture, photo_box[:2])
    else:  # a feed of comments with the commenters' small profile pictures
        photo_box = (photo_box[0], height - height // 6, photo_box[2], height - height // 6)
        side = height // 12
        for k in range(4):
            avatar = _photo(side, side, (n + k) % 4 + 10)
            page.paste(avatar, (column[2] - side - 30, height // 9 + k * (side + 40)))
    font = _font(height // 60)
    y = height // 9
    while y < photo_box[1] - height // 50:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(6, 16)))
        draw.text((column[0] + 24, y), line, fill=(28, 30, 33), font=font)
        y += height // 42
    for x in range(column[0] + 24, column[2] - 200, 240):  # like / comment / share buttons
        draw.rounded_rectangle(
            (x, photo_box[3] + 20, x + 200, photo_box[3] + 70), 12, fill=(228, 230, 235)
        )
    draw.text(
        (column[0] + 24, photo_box[3] + 90),
        f"{rng.randrange(2, 900)} comments · {n}",
        fill="grey",
        font=font,
    )
    # A unique strip so every screen differs (times, counters): no two PNGs are equal.
    draw.text(
        (width - 420, height - 40), f"{n:06d} {rng.random():.12f}", fill=(120, 120, 120), font=font
    )
    return page


def screen_pixels(n: int, width: int = 2560, height: int = 1440) -> bytes:
    return screen(n, width, height).tobytes()


def screenshot(n: int, width: int = 2560, height: int = 1440, *, photo: bool = True) -> bytes:
    """The screen as a PNG the way captures are stored (zlib level 3)."""
    out = io.BytesIO()
    screen(n, width, height, photo=photo).save(out, "PNG", compress_level=3)
    return out.getvalue()


def jpeg_ratio(png: bytes) -> float:
    """How much smaller the same picture is as a JPEG (quality 90): near 1 means 'not much'."""
    with Image.open(io.BytesIO(png)) as image:
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=90)
    return len(out.getvalue()) / len(png)


if __name__ == "__main__":
    import time

    start = time.perf_counter()
    data = screenshot(1)
    made = time.perf_counter() - start
    print(
        f"one 2560x1440 screenshot: {len(data) / 1e6:.2f} MB PNG, made in {made:.2f} s; "
        f"JPEG q90 is {jpeg_ratio(data):.0%} of it; deflate of the PNG {len(zlib.compress(data, 1)) / len(data):.0%}"
    )
