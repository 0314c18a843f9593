"""The known importers, in the order detection tries them (most specific first)."""

from __future__ import annotations

import importlib

from evidence_kit.importers.base import Importer

# module path, class name — imported lazily so one importer's dependency never slows the others.
_KNOWN: list[tuple[str, str]] = [
    ("evidence_kit.importers.whatsapp", "WhatsAppImporter"),
    ("evidence_kit.importers.email", "EmlImporter"),
    ("evidence_kit.importers.email", "MboxImporter"),
    ("evidence_kit.importers.outlook", "MsgImporter"),
    ("evidence_kit.importers.sms", "SmsBackupImporter"),
]


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
