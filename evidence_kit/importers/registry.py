"""The known importers, in the order detection tries them (most specific first)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from evidence_kit.importers.base import Importer

if TYPE_CHECKING:
    from evidence_kit.importers.download import DownloadImporter

# module path, class name — imported lazily so one importer's dependency never slows the others.
_KNOWN: list[tuple[str, str]] = [
    ("evidence_kit.importers.whatsapp", "WhatsAppImporter"),
    ("evidence_kit.importers.email", "EmlImporter"),
    ("evidence_kit.importers.email", "MboxImporter"),
    ("evidence_kit.importers.outlook", "MsgImporter"),
    ("evidence_kit.importers.sms", "SmsBackupImporter"),
]


# Formats read from a whole download (a folder, a file, zips): most specific first.
_DOWNLOADS: list[tuple[str, str]] = [
    ("evidence_kit.importers.slack", "SlackImporter"),
    ("evidence_kit.importers.xdm", "XImporter"),
    ("evidence_kit.importers.messenger", "InstagramImporter"),
    ("evidence_kit.importers.messenger", "MessengerImporter"),
    ("evidence_kit.importers.messenger_secure", "MessengerSecureImporter"),
    ("evidence_kit.importers.telegram", "TelegramImporter"),
    ("evidence_kit.importers.discord", "DiscordImporter"),
    ("evidence_kit.importers.imessage", "IMessageImporter"),
    ("evidence_kit.importers.signal", "SignalImporter"),
]


def _load(module_name: str, class_name: str):  # type: ignore[no-untyped-def]
    return getattr(importlib.import_module(module_name), class_name)()


def downloads() -> list[DownloadImporter]:
    return [_load(module_name, class_name) for module_name, class_name in _DOWNLOADS]


def download_by_name(name: str) -> DownloadImporter | None:
    return next((importer for importer in downloads() if importer.name == name), None)


def download_names() -> list[str]:
    return [importer.name for importer in downloads()]


def importers() -> list[Importer]:
    found: list[Importer] = []
    for module_name, class_name in _KNOWN:
        module = importlib.import_module(module_name)
        found.append(getattr(module, class_name)())
    return found


def by_name(name: str) -> Importer | None:
    for importer in importers():
        if importer.name == name:
            return importer
    return None


def names() -> list[str]:
    return [importer.name for importer in importers()]
