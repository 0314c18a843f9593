"""Screenshots of every main screen, for the README: `make screenshots`.

Starts Xvfb, builds a demo vault with fictional content in a temporary folder, opens each main
screen of the real program and saves a PNG of it into the folder given (docs/screenshots).
Nothing here touches a real vault.

    python packaging/make_screenshots.py docs/screenshots
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCREEN = (1440, 900)
PASSPHRASE = "demo passphrase for screenshots"

CHAT = """14/03/2026, 08:58 - Messages and calls are end-to-end encrypted. No one outside of this chat can read or listen to them.
14/03/2026, 09:02 - Jordan (work): Did you see what got posted about you last night?
14/03/2026, 09:03 - Me: No, what was it?
14/03/2026, 09:05 - Jordan (work): Someone from the night shift shared a photo of you with a horrible comment
14/03/2026, 09:06 - Me: Can you send me the link please? I want to keep a copy
14/03/2026, 09:08 - Jordan (work): https://facebook.example/groups/nightshift/posts/1234
14/03/2026, 09:10 - Me: Thank you. I'm going to talk to my union rep today
14/03/2026, 09:11 - Jordan (work): Good idea. I'll come with you if you want
14/03/2026, 18:40 - Me: The post has been deleted but I took screenshots first
"""


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "--child":
        return child(Path(argv[1]))
    out = Path(argv[0] if argv else "docs/screenshots").resolve()
    out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    from tests.support.xvfb import Xvfb

    with tempfile.TemporaryDirectory(prefix="evidence-kit-demo-") as home, Xvfb([SCREEN]) as xvfb:
        env = xvfb.env(dict(os.environ))
        env.update(
            QT_QPA_PLATFORM="xcb",
            EVIDENCE_KIT_HOME=str(Path(home) / "vault"),
            HOME=home,
            XDG_CONFIG_HOME=str(Path(home) / "config"),
            LANG="en_GB.UTF-8",
            TZ="Europe/London",
        )
        return subprocess.run(
            [sys.executable, __file__, "--child", str(out)], env=env, cwd=ROOT, check=False
        ).returncode


# -- the child, running on the X server ---------------------------------------------------------


def post_picture(title: str, author: str, text: str, colour: tuple[int, int, int]) -> bytes:
    """A fictional social-media post drawn with Pillow."""
    from PIL import Image, ImageDraw, ImageFont

    def font(size: int, bold: bool = False) -> Any:
        name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            return ImageFont.load_default(size)

    picture = Image.new("RGB", (1280, 720), (240, 242, 245))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 0, 1280, 56), fill=colour)
    draw.text((24, 14), title, fill=(255, 255, 255), font=font(24, True))
    draw.rounded_rectangle((200, 100, 1080, 640), radius=16, fill=(255, 255, 255))
    draw.ellipse((230, 130, 290, 190), fill=(180, 180, 190))
    draw.text((310, 140), author, fill=(20, 20, 20), font=font(24, True))
    draw.text((310, 172), "2 h · Public", fill=(110, 110, 110), font=font(18))
    y = 230
    for line in text.split("\n"):
        draw.text((240, y), line, fill=(20, 20, 20), font=font(28))
        y += 44
    draw.text((240, 580), "Like 14    Comment 6", fill=(90, 90, 90), font=font(20))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


POSTS = [
    (
        "facebook.example — Night shift group",
        "Not A Real Person",
        "Look who thinks she can run a team lol\nEveryone knows she's useless.\nWatch your back.",
        (59, 89, 152),
        "https://facebook.example/groups/nightshift/posts/1234",
        "Facebook",
        "Not A Real Person",
        "A photo of me shared in the night-shift group with a mocking comment.",
    ),
    (
        "instagram.example",
        "@fictional_account_22",
        "we all know what you did.\nnobody wants you here",
        (193, 53, 132),
        "https://instagram.example/p/Cx9fictional",
        "Instagram",
        "@fictional_account_22",
        "Comment under my holiday photo, the third this week.",
    ),
]


def child(out: Path) -> int:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from evidence_kit.clock import FixedClock
    from evidence_kit.ui.app import make_app
    from evidence_kit.ui.tasks import Job, TaskRunner
    from evidence_kit.vault import TEST_KDF, Vault

    app = make_app(["evidence-kit-gui"])
    home = Path(os.environ["EVIDENCE_KIT_HOME"])
    work = home.parent
    runner = TaskRunner()

    def pump(ms: int = 150) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait(predicate: Callable[[], bool], seconds: float = 60) -> None:
        for _ in range(int(seconds * 20)):
            if predicate():
                return
            pump(50)
        raise TimeoutError("the screen did not get ready in time")

    def run(fn: Callable[[Job], Any]) -> Any:
        found: list[Any] = []
        failed: list[BaseException] = []
        runner.submit(fn, on_done=found.append, on_error=failed.append)
        wait(lambda: bool(found or failed))
        if failed:
            raise failed[0]
        return found[0]

    def shoot(widget: QWidget, name: str, settle: int = 400) -> None:
        widget.show()
        widget.raise_()
        widget.activateWindow()
        pump(settle)
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        print(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")

    # 1. first run, the recovery code, unlock --------------------------------------------------
    from evidence_kit.ui.dialogs.create_vault import CreateVaultDialog
    from evidence_kit.ui.dialogs.recovery_code import RecoveryCodeDialog
    from evidence_kit.ui.dialogs.unlock import UnlockDialog

    first = CreateVaultDialog()
    first.owner.setText("Alex Doe")
    first.passphrase.setText(PASSPHRASE)
    first.repeat.setText(PASSPHRASE)
    shoot(first, "01-first-run")
    first.close()
    created = Vault.create(home, PASSPHRASE, owner="Alex Doe", kdf=TEST_KDF, clock=FixedClock())
    code = created.recovery_code
    created.vault.close()
    recovery = RecoveryCodeDialog(code, str(home))
    shoot(recovery, "02-recovery-code")
    recovery.close()
    unlock = UnlockDialog(runner, home, FixedClock())
    unlock.secret.setText("not the passphrase")
    unlock.try_unlock()
    wait(lambda: unlock.attempts == 1)
    shoot(unlock, "03-unlock-wrong-passphrase")
    unlock.secret.setText(PASSPHRASE)
    unlock.try_unlock()
    wait(lambda: runner.vault is not None)
    unlock.close()

    # 2. fictional evidence --------------------------------------------------------------------
    from evidence_kit.capture import (
        Details,
        Monitor,
        RawImage,
        Target,
        WindowInfo,
        grab,
        save_capture,
    )

    class DemoGrabber:
        """Shows a fictional post as the whole screen (the public Grabber protocol)."""

        def __init__(self, number: int) -> None:
            from PIL import Image

            self.title = POSTS[number][0]
            with Image.open(io.BytesIO(post_picture(*POSTS[number][:4]))) as picture:
                self.bgrx = picture.convert("RGBX").tobytes("raw", "BGRX")

        def monitors(self) -> list[Monitor]:
            return [Monitor(0, 0, 1280, 720), Monitor(0, 0, 1280, 720)]

        def grab(self, box: Monitor) -> RawImage:
            return RawImage(self.bgrx, 1280, 720)

        def active_window(self) -> WindowInfo:
            return WindowInfo(
                f"{self.title} — Mozilla Firefox", "firefox", (0, 0, 1280, 720), "demo"
            )

        def close(self) -> None:
            pass

    def add_post(job: Job, number: int) -> int:
        from datetime import UTC, datetime

        _title, _author, _text, _colour, url, platform, account, what = POSTS[number]
        at = datetime(2026, 3, 13 + number, 21, 14 + number, 5, 120000 + number, tzinfo=UTC)
        frame = grab(Target.all_monitors(), DemoGrabber(number), clock=FixedClock(at))
        details = Details(url, platform, account, what, "Night shift group")
        items = save_capture(job.need_vault(), frame, details)
        return int(items[0].id)

    post_ids = [run(lambda job, n=n: add_post(job, n)) for n in range(len(POSTS))]

    def add_note(job: Job) -> None:
        with job.need_vault().transaction() as writer:
            writer.add_note(
                post_ids[0], "Jordan told me about this post at 09:05 the next morning."
            )
            writer.add_note(post_ids[0], "The post was deleted by 18:00. I still have this copy.")

    run(add_note)
    chat = work / "WhatsApp Chat with Jordan (work).txt"
    chat.write_text(CHAT, encoding="utf-8")

    from evidence_kit.ui.flows.importing import run_import

    facts = run(lambda job: run_import(job, chat, "whatsapp", "Europe/London", "Night shift group"))

    # 3. the main window -------------------------------------------------------------------------
    from evidence_kit.ui.session import Session

    session = Session(home, runner, clock=FixedClock())
    session.settings.setValue("safeguarding_shown", True)
    session._opened()
    window = session.window
    window.resize(1400, 860)
    wait(lambda: window.items.rowCount() == 3)
    refreshed: list[bool] = []
    session.refreshed.connect(lambda: refreshed.append(True))
    window.select_case("Night shift group")
    wait(lambda: bool(refreshed))
    wait(lambda: window.items.item(0) is not None and window.items.item(2) is not None)
    window.select_item(post_ids[0])
    wait(lambda: window.detail.item is not None and window.detail.item.id == post_ids[0])
    pump(800)
    shoot(window, "04-main-window-timeline", 800)
    window.detail.tabs.setCurrentIndex(3)  # notes
    shoot(window, "05-item-notes")
    window.detail.tabs.setCurrentIndex(4)  # history
    shoot(window, "06-item-history")
    window.select_item(int(facts["item_id"]))
    wait(lambda: window.detail.conversation.model.rowCount() > 0)
    window.detail.tabs.setCurrentIndex(window.detail.conversation_tab)
    for row in range(window.detail.conversation.model.rowCount()):
        window.detail.conversation.model.index(row, 0).data()
    pump(600)
    shoot(window, "07-conversation")

    # 4. capture: the form, the safeguarding rule -------------------------------------------------
    from PySide6.QtGui import QImage

    from evidence_kit.ui.dialogs.capture_form import CaptureFormDialog
    from evidence_kit.ui.dialogs.help import HelpDialog
    from evidence_kit.ui.dialogs.safeguarding import SafeguardingDialog

    rule = SafeguardingDialog(window)
    shoot(rule, "08-before-the-first-capture")
    rule.close()
    preview = QImage.fromData(post_picture(*POSTS[1][:4]))
    form = CaptureFormDialog(
        preview,
        "Saturday 14 March 2026, 21:15:05 Europe/London (UTC+00:00) — 2026-03-14T21:15:05.120001Z UTC",
        window_title="instagram.example — Mozilla Firefox",
        cases=window.cases.names(),
        case="Night shift group",
        parent=window,
    )
    shoot(form, "09-capture-form")
    form.close()

    # 5. import: the time-zone question and the summary ---------------------------------------------
    from evidence_kit.ui.dialogs.import_summary import ImportSummaryDialog
    from evidence_kit.ui.dialogs.time_zone import TimeZoneDialog

    question = TimeZoneDialog("WhatsApp chat export", "Europe/London", window)
    shoot(question, "10-import-time-zone")
    question.close()
    summary = ImportSummaryDialog(facts, window)
    shoot(summary, "11-import-summary")
    summary.close()

    # 6. export: the wizard's last page -----------------------------------------------------------------
    session.exporting.start()
    wizard = session.exporting.wizard
    assert wizard is not None
    wizard.choose.whole_case.setChecked(True)
    wizard.next()
    wizard.audience.organisation.setText("Example Care Home")
    wizard.next()
    wizard.where.folder.setText(str(work / "bundles"))
    wizard.next()
    wait(lambda: wizard.result_value is not None, 120)
    shoot(wizard, "12-export-finished")
    bundle = wizard.result_value.path
    wizard.close()

    # 7. verify (no vault needed) and help ---------------------------------------------------------------
    from evidence_kit.ui.dialogs.verify_window import VerifyWindow

    checker = VerifyWindow(runner)
    checker.check(bundle)
    wait(lambda: checker.view is not None, 120)
    checker.expected.setText(wizard.result_value.fingerprint)
    shoot(checker, "13-verify-bundle")
    checker.close()
    guide = HelpDialog(parent=window)
    shoot(guide, "14-help-and-guidance")
    guide.close()

    # 8. everything recorded about an item
    window.select_item(post_ids[1])
    wait(lambda: window.detail.item is not None and window.detail.item.id == post_ids[1])
    window.detail.tabs.setCurrentIndex(2)
    shoot(window, "15-item-details", 600)

    for widget in QApplication.topLevelWidgets():
        widget.close()
    runner.stop()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
