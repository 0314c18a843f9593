"""The verify window's "Check a redacted copy against its original": as `verify-redaction`
does, with no vault — a faithful copy is said to be one, a copy changed outside its boxes is not."""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image

from evidence_kit.bundle.export import Options, export_bundle
from evidence_kit.redaction.store import redact_picture
from evidence_kit.ui.dialogs.redaction_check import RedactionCheckDialog
from evidence_kit.ui.dialogs.verify_window import VerifyWindow
from evidence_kit.vault import Vault
from tests.bundle.conftest import unpack
from tests.redaction.test_pictures import BOXES, add_picture, screen


def test_the_verify_window_checks_a_redacted_copy(qtbot, vault: Vault, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    original = screen(seed=5)
    parent = add_picture(vault, original)
    made = redact_picture(vault, parent, BOXES, "a bystander's face")
    result = export_bundle(vault, Options(audience="police", case="Work"), tmp_path / "out")
    top = unpack(result.zip_path, tmp_path / "u")
    records = {
        path: json.loads(path.read_text("utf-8"))
        for path in (top / "bag/data/items").glob("*/item.json")
    }
    proof = next(p for p, r in records.items() if r["vault_record"]["id"] == made.id)
    source = next(p for p, r in records.items() if r["vault_record"]["id"] == parent)
    redacted = next(f for f in proof.parent.iterdir() if f.suffix == ".png")
    kept = next(f for f in source.parent.iterdir() if f.name != "item.json")

    window = VerifyWindow()
    qtbot.addWidget(window)
    window.check_redaction()
    dialog = window.findChild(RedactionCheckDialog)
    assert dialog is not None
    dialog.check()
    assert "Choose the redacted file" in dialog.outcome.text()  # nothing chosen yet: says so
    dialog.redacted[1].setText(str(redacted))
    dialog.original[1].setText(str(kept))
    dialog.check()
    qtbot.waitUntil(lambda: dialog.outcome.text().startswith(("✔", "✘")), timeout=20_000)
    assert dialog.outcome.text().startswith("✔ The redacted copy was made from this original")
    # one pixel changed outside the boxes: not a faithful redaction, and it says where
    image = Image.open(io.BytesIO(redacted.read_bytes())).convert("RGBA")
    image.putpixel((5, 5), (1, 2, 3, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    redacted.write_bytes(out.getvalue())
    dialog.check()
    qtbot.waitUntil(lambda: dialog.outcome.text().startswith(("✔", "✘")), timeout=20_000)
    assert dialog.outcome.text().startswith("✘ This is NOT a faithful redaction")
    assert "x=5, y=5" in dialog.outcome.text()
    window.close()
