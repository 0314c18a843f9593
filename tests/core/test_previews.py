"""Previews are made once, when a picture enters the vault: the command line makes them right
after its commit, an export makes the ones older items lack, and then decodes no picture."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from evidence_kit import previews
from evidence_kit.bundle.export import Options, export_bundle
from evidence_kit.model import ItemKind
from evidence_kit.vault import Vault
from tests.bundle.conftest import CASE, populate
from tests.conftest import PASSPHRASE, Cli


def test_the_command_line_makes_previews_after_an_add(
    cli: Cli, vault_dir: Path, tmp_path: Path
) -> None:
    picture = tmp_path / "post.png"
    Image.new("RGB", (2560, 1440), "white").save(picture)
    assert cli("add", str(picture)).exit_code == 0

    with Vault.open(vault_dir, PASSPHRASE) as vault:
        stored = vault.preview(1)
        assert stored is not None and stored.media_type == "image/jpeg"
        assert (stored.width, stored.height) == (1280, 720)
        with Image.open(io.BytesIO(stored.data)) as image:
            assert image.size == (1280, 720)
        assert vault.thumbnail(1) is not None
        assert previews.wanted(vault) == []


def test_an_export_decodes_no_picture_once_previews_exist(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(vault)  # items made through the vault API: no previews yet, as in an old vault
    assert previews.wanted(vault)
    export_bundle(vault, Options(audience="police", case=CASE), tmp_path / "first")
    assert previews.wanted(vault) == []  # the first export made them, once

    def no_decoding(*args: object, **kwargs: object) -> None:
        raise AssertionError("an export decoded a picture")

    from PIL import ImageFile

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    monkeypatch.setattr(Image.Image, "load", no_decoding)
    result = export_bundle(vault, Options(audience="police", case=CASE), tmp_path / "second")
    assert result.item_count > 0


def test_a_picture_that_cannot_be_decoded_gets_none(vault: Vault) -> None:
    with vault.transaction() as writer:
        sha, size = writer.put([b"\x89PNG\r\n\x1a\n" + b"not really a picture"])
        writer.add_item(ItemKind.FILE, sha256=sha, size=size, media_type="image/png",
                        original_name="broken.png")  # fmt: skip
    assert previews.make(vault) == 0
