"""What a person brings to the journey tests: fictional, messy evidence they made themselves.

- a WhatsApp export from an Android phone (a .zip with the chat and a photo it names);
- an e-mail saved from a mail program (.eml) with a picture, a text file and a PDF attached;
- a fictional social-media post to show on the screen and capture.
"""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

CHAT = """12/10/2025, 21:02 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.
12/10/2025, 21:14 - Dana (night shift): you think anyone believes you?
12/10/2025, 21:15 - Dana (night shift): IMG-20251012-WA0003.jpg (file attached)
look what I posted about you lol
12/10/2025, 21:31 - Me: Please stop messaging me. I have asked you twice.
13/10/2025, 07:48 - Dana (night shift): everyone on the ward has seen it now
13/10/2025, 07:49 - Dana (night shift): <Media omitted>
14/10/2025, 18:20 - Me: I am keeping a copy of all of this.
"""
MAIL_TEXT = (
    "You were told not to go to HR. The whole team knows what you are like.\n"
    "If you carry on, the rota will get worse for you.\n"
)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(name, size)
    except OSError:
        return ImageFont.load_default()


def post_picture(width: int, height: int) -> Image.Image:
    """A fictional post in a browser-like page, filling the screen."""
    picture = Image.new("RGB", (width, height), (236, 239, 244))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 0, width, 52), fill=(59, 89, 152))
    draw.text((20, 12), "facebook.example — Night shift group", fill="white", font=font(22, True))
    left, top = width // 6, 110
    draw.rounded_rectangle((left, top, width - left, top + 330), radius=14, fill="white")
    draw.ellipse((left + 24, top + 24, left + 84, top + 84), fill=(170, 170, 185))
    draw.text((left + 100, top + 30), "Dana (night shift)", fill=(20, 20, 20), font=font(22, True))
    draw.text((left + 100, top + 60), "Yesterday at 21:15 · Public", fill=(110, 110, 110),
              font=font(16))  # fmt: skip
    lines = (
        "Look who thinks she can run the ward lol",
        "Everyone knows she is useless.",
        "Watch your back on Monday.",
    )
    for number, line in enumerate(lines):
        draw.text((left + 30, top + 120 + number * 44), line, fill=(15, 15, 15), font=font(26))
    draw.text((left + 30, top + 280), "Like 14    Comment 6    Share", fill=(90, 90, 90),
              font=font(18))  # fmt: skip
    return picture


def photo_bytes() -> bytes:
    picture = Image.new("RGB", (480, 320), (210, 180, 160))
    draw = ImageDraw.Draw(picture)
    draw.text((30, 130), "a photo of my car, scratched", fill=(40, 20, 20), font=font(28, True))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue()


def png_bytes(text: str) -> bytes:
    picture = Image.new("RGB", (420, 240), (250, 250, 250))
    ImageDraw.Draw(picture).text((20, 100), text, fill=(180, 0, 0), font=font(24, True))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def whatsapp_zip(folder: Path) -> Path:
    path = folder / "WhatsApp Chat with Dana (night shift).zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("WhatsApp Chat with Dana (night shift).txt", CHAT)
        archive.writestr("IMG-20251012-WA0003.jpg", photo_bytes())
    return path


def email_file(folder: Path) -> Path:
    message = EmailMessage()
    message["From"] = "Rota Manager <rota.manager@example.org>"
    message["To"] = "Alex Doe <alex.doe@example.net>"
    message["Subject"] = "Your shifts next week"
    message["Date"] = "Thu, 16 Oct 2025 16:40:12 +0100"
    message["Message-ID"] = "<rota-1016@example.org>"
    message.set_content(MAIL_TEXT)
    message.add_attachment(
        png_bytes("NIGHTS x7 — Alex"), maintype="image", subtype="png",
        filename="rota-week-43.png",
    )  # fmt: skip
    message.add_attachment(
        "Mon night\nTue night\nWed night\nThu night\nFri night\n",
        filename="shifts.txt",
    )
    message.add_attachment(
        b"%PDF-1.4\n% a fictional staff handbook page\n%%EOF\n", maintype="application",
        subtype="pdf", filename="handbook-page-12.pdf",
    )  # fmt: skip
    path = folder / "Your shifts next week.eml"
    path.write_bytes(bytes(message))
    return path


def chat_window_picture() -> Image.Image:
    """A fictional chat app's window (its own program on the desktop, in front)."""
    picture = Image.new("RGB", (420, 300), (230, 245, 234))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 0, 420, 40), fill=(18, 140, 126))
    draw.text((12, 10), "Dana (night shift)", fill="white", font=font(18, True))
    for number, line in enumerate(("you think anyone believes you?", "everyone has seen it now")):
        draw.rounded_rectangle(
            (12, 60 + number * 60, 330, 100 + number * 60), radius=8, fill="white"
        )
        draw.text((22, 70 + number * 60), line, fill=(20, 20, 20), font=font(16))
    return picture
