"""imessage-exporter TXT and signal-export Markdown, as those tools print them (fictional people)."""

from __future__ import annotations

from pathlib import Path

# The hour is padded with a space ("May 17, 2022  5:29:42 PM"); 25 Oct 2026 01:00–01:59 happens
# twice in London, and the file's order says which pass each message is.
IMESSAGE_SAM = """\
Oct 24, 2026  9:05:12 PM (Read by you after 2 minutes, 3 seconds)
+447700900123
You think anyone believes you? 🙄

Oct 24, 2026  9:06:40 PM
Me
Please stop texting me.
I've told my manager.

Oct 24, 2026  9:07:02 PM
+447700900123
Oct 24, 2026  9:07:02 PM go on then
Edited 1 minute later: go on then, see what happens
Reactions:
    Laughed at by Me


Oct 25, 2026  1:35:00 AM
+447700900123
/Users/jo/Library/Messages/Attachments/4a/10/IMG_0412.HEIC

Oct 25, 2026  1:58:00 AM
+447700900123
attachments/1/IMG_0413.jpeg
still awake?

Oct 25, 2026  1:07:00 AM
+447700900123
This message responded to an earlier message.
answer me

Oct 25, 2026  9:00:00 AM +447700900123 renamed the conversation to Sam 🚫

Oct 25, 2026  9:01:30 AM
+447700900123
They deleted a message.

Oct 25, 2026  9:02:00 AM
Me
مع السلامة

"""

# signal-export ends picture lines with two spaces and leaves a space after an empty first line.
SIGNAL_CHAT = """\
[2026-03-14 09:26:53] Sam Carter: hey
[2026-03-14 09:27:10] Sam Carter: you really thought nobody would find out?

  still there?
[2026-03-14 09:28:00] Me: Leave me alone.
(- Sam Carter: 😂 -)
[2026-03-14 09:29:41] Sam Carter: ![IMG_20260314_092941.jpg](./media/IMG_20260314_092941.jpg){TWO_SPACES}
[2026-03-14 09:30:00] Sam Carter: ![voice.m4a](./media/voice-note-missing.m4a){TWO_SPACES}
[2026-03-14 09:31:12] Sam Carter:{ONE_SPACE}

> Leave me alone.

or what? 😈
[2026-03-14 09:32:00] Sam Carter: (This message was deleted)
[2026-03-14 09:33:00] +447700900999: who is this
""".format(TWO_SPACES="  ", ONE_SPACE=" ")


def imessage_folder(root: Path) -> Path:
    folder = root / "imessage_export"
    (folder / "attachments" / "1").mkdir(parents=True)
    (folder / "+447700900123.txt").write_text(IMESSAGE_SAM, "utf-8")
    (folder / "attachments" / "1" / "IMG_0413.jpeg").write_bytes(
        b"\xff\xd8\xff\xe0" + b"imessage pic" * 30
    )
    (folder / "orphaned.txt").write_text("Oct 20, 2026 12:00:00 PM\nMe\nnote to self\n\n", "utf-8")
    (folder / "notes.txt").write_text("things to tell HR:\n- the rota\n", "utf-8")
    return folder


def signal_folder(root: Path) -> Path:
    folder = root / "signal-chats" / "Sam Carter"
    (folder / "media").mkdir(parents=True)
    (folder / "chat.md").write_text(SIGNAL_CHAT, "utf-8")
    (folder / "media" / "IMG_20260314_092941.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"signal" * 50)
    (folder / "data.json").write_text('{"note": "not read"}\n', "utf-8")
    return folder.parent
