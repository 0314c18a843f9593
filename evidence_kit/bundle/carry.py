"""Carrying a sender's seal on: what a rep's bundle says of the exhibits the rep received.

When every file the sender sealed travels — their exhibits' bytes as exhibits of this bundle,
and their other files (item.json, messages, custody log, report) under
`bag/data/received/<sender-bundle-id>/…` at their own paths — the sender's `bag-info.txt`,
manifests, tag manifests and signatures go under `received/<sender-bundle-id>/`: a recipient
can check those files are exactly what the person sealed, and then the rep's chain on top.
Otherwise (the rep forwards only some of them) only the sender's bundle id, the SHA-256 of its
tag manifest and the exhibits' SHA-256 travel, in each item.json's `received` block: nothing of
what was not forwarded is revealed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from evidence_kit.bundle.exhibits import Exhibit
from evidence_kit.bundle.format import bag, layout

SEAL_NAMES = (*layout.TAG_FILES, *layout.TAG_MANIFESTS)


@dataclass
class Carried:
    bundle_id: str
    sender_fingerprint: str
    tagmanifest_sha256: str
    full: bool
    outside: dict[str, str] = field(default_factory=dict)  # name under received/<id>/ -> sha256
    payload: dict[str, str] = field(
        default_factory=dict
    )  # name under data/received/<id>/ -> sha256

    def reference(self) -> dict[str, Any]:
        return {"bundle_id": self.bundle_id, "sender_fingerprint": self.sender_fingerprint,
                "tagmanifest_sha256": self.tagmanifest_sha256, "seal_carried": self.full}  # fmt: skip


def plan_carried(vault: Any, plan: Sequence[Exhibit]) -> dict[int, Carried]:
    """For each reception some exhibit of `plan` came from (by the received bundle's item id):
    what this bundle carries of the sender's seal."""
    bundles = {
        received["bundle_item_id"]
        for exhibit in plan
        if isinstance(received := exhibit.item.metadata.get("received"), dict)
        and isinstance(received.get("bundle_item_id"), int)
    }
    travelling = {e.item.sha256 for e in plan if e.file and e.item.sha256}
    carried: dict[int, Carried] = {}
    for bundle_item in sorted(bundles):
        row = vault.conn.execute(
            "SELECT bundle_id, sender_fingerprint, tagmanifest_sha256, files FROM receptions "
            "WHERE item_id = ?",
            (bundle_item,),
        ).fetchone()
        if row is None:
            continue
        bundle_id, fingerprint, tag_sha, listed = row
        files: dict[str, str] = json.loads(listed)
        manifest = bag.parse_manifest(
            b"".join(vault.content_by_hash(files["bag/manifest-sha256.txt"])), "sha256"
        ).entries
        payload = {}
        full = True
        for path, sha256 in manifest.items():  # "data/…" as the sender's manifest names them
            kept = files.get(f"bag/{path}")
            if kept == sha256:
                payload[path] = sha256  # one of the sender's own records: carried at its path
            elif sha256 not in travelling:
                full = False  # an exhibit of the sender's that this bundle does not hold
        entry = Carried(bundle_id, fingerprint, tag_sha, full)
        if full:
            entry.payload = payload
            entry.outside = {
                name: files[f"bag/{name}"] for name in SEAL_NAMES if f"bag/{name}" in files
            }
            entry.outside |= {
                name[len(layout.SEAL) + 1 :]: sha
                for name, sha in files.items()
                if name.startswith(layout.SEAL + "/") and name[len(layout.SEAL) + 1 :] in layout.SEAL_FILES
            }  # fmt: skip
        carried[bundle_item] = entry
    return carried
