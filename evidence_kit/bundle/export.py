"""Export: stream chosen items from the vault into a sealed `EVB-<id>.zip`.

The export is a custody event. It is recorded first, inside the same `vault.transaction()` that
covers writing the bundle, so the bundle's continuity log ends with it; if anything fails or the
person cancels, the transaction rolls back and the partial file is removed: nothing is recorded
and no file is left.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

from evidence_kit import __version__
from evidence_kit.bundle import exhibits
from evidence_kit.bundle.exhibits import Exhibit
from evidence_kit.bundle.format import bag, layout, seal
from evidence_kit.bundle.format.custody import canonical, check_chain
from evidence_kit.bundle.zipout import BundleZip
from evidence_kit.clock import parse_iso_utc
from evidence_kit.errors import EvidenceKitError, ExportError, NotFound
from evidence_kit.model import CancelFlag, ItemKind, Progress, never_cancel, no_progress
from evidence_kit.paths import resource_path
from evidence_kit.vault import Vault

TIMESTAMPS_NOTE = (
    "none in this bundle. No time-stamping authority could be reached when it was sealed, so "
    "the times shown are those recorded by the sender's computer."
)


@dataclass(frozen=True)
class Options:
    audience: str
    case: str | None = None
    item_ids: tuple[int, ...] = ()
    contact_name: str | None = None
    organisation: str | None = None
    title: str | None = None
    include_withdrawn: bool = False


@dataclass(frozen=True)
class ExportResult:
    bundle_id: str
    zip_path: Path
    sha256_path: Path
    zip_sha256: str
    fingerprint: str
    item_count: int
    withdrawn_left_out: int
    custody_seq: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "bundle_id": self.bundle_id,
            "zip": str(self.zip_path),
            "sha256_file": str(self.sha256_path),
            "zip_sha256": self.zip_sha256,
            "seal_key_fingerprint": self.fingerprint,
            "items": self.item_count,
            "withdrawn_left_out": self.withdrawn_left_out,
            "custody_seq": self.custody_seq,
        }


def _select(vault: Vault, options: Options) -> tuple[list[Exhibit], int, list[Any]]:
    everything = vault.items()
    if options.case is not None:
        if not vault.case_exists(options.case):
            raise ExportError(
                f"There is no case called {options.case!r} in this vault.",
                hint="`evidence-kit list` shows the cases and items.",
            )
        asked = vault.whole_case(options.case)  # its items now, attachments, crops' parents
    elif options.item_ids:
        by_id = {item.id: item for item in everything}
        missing = [str(i) for i in options.item_ids if i not in by_id]
        if missing:
            raise NotFound(f"There is no item {', '.join(missing)} in this vault.")
        asked = [by_id[i] for i in options.item_ids]
    else:
        raise ExportError("Say what to export: a case (--case) or items (--items).")
    chosen = exhibits.choose(
        asked, everything, options.audience, include_withdrawn=options.include_withdrawn
    )
    if not chosen:
        raise ExportError("There is nothing to export: every item asked for is withdrawn.")
    withdrawn_left_out = sum(1 for item in asked if item.withdrawn and item not in chosen)
    plan = exhibits.plan(chosen, everything, vault.owner)
    for exhibit in plan:
        if exhibit.item.kind == ItemKind.IMPORT:
            exhibit.message_count = vault.message_count(exhibit.item.id)
    return plan, withdrawn_left_out, asked


def _messages(vault: Vault, item_id: int) -> Iterator[bytes]:
    batch: list[bytes] = []
    for record in vault.messages(item_id):
        batch.append(canonical(record) + b"\n")
        if len(batch) >= 2000:
            yield b"".join(batch)
            batch = []
    if batch:
        yield b"".join(batch)


def _custody(records: Sequence[dict[str, Any]]) -> Iterator[bytes]:
    for start in range(0, len(records), 2000):
        yield b"".join(canonical(r) + b"\n" for r in records[start : start + 2000])


def verify_text(bundle_id: str, sealed_at: str, fingerprint: str, audience: str) -> bytes:
    template = Template(resource_path("VERIFY.txt").read_text("utf-8"))
    text = template.substitute(
        bundle_id=bundle_id,
        zip_name=f"{bundle_id}.zip",
        sealed_at=sealed_at,
        fingerprint=fingerprint,
        audience_title=layout.AUDIENCE_TITLES[audience],
        audience_rules=layout.AUDIENCE_RULES[audience],
        timestamps=TIMESTAMPS_NOTE,
    )
    return text.encode("utf-8")


def export_bundle(
    vault: Vault,
    options: Options,
    out_dir: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
    html_image_budget: int = 64 << 20,
) -> ExportResult:
    from evidence_kit.bundle import pdf, report, report_html

    problems = check_chain(vault.custody_records())
    if problems:
        raise ExportError(
            f"The vault's custody chain is broken ({problems[0].where} {problems[0].what}).",
            hint="Nothing was exported. Run `evidence-kit check`.",
        )
    plan, withdrawn_left_out, asked = _select(vault, options)
    bundle_id = layout.new_bundle_id(vault.clock.now())
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"Cannot make the folder {out_dir}: {exc.strerror}.") from exc
    final = out_dir / f"{bundle_id}.zip"
    sidecar = out_dir / f"{bundle_id}.zip.sha256"
    partial = out_dir / f".{bundle_id}.zip.partial"
    sidecar_partial = out_dir / f".{bundle_id}.zip.sha256.partial"
    if final.exists() or sidecar.exists():
        raise ExportError(f"{final} already exists; choose another folder.")
    total = sum(e.item.size for e in plan if e.file) or None
    fingerprint = vault.fingerprint
    try:
        with vault.transaction() as writer:
            seq = writer.record(
                layout.EXPORT_ACTION,
                f"bundle:{bundle_id}",
                {
                    "bundle_id": bundle_id,
                    "format": layout.FORMAT,
                    "audience": options.audience,
                    "case": options.case,
                    "items": [
                        {"exhibit": e.label, "uid": e.item.uid, "sha256": e.item.sha256}
                        for e in plan
                    ],
                    "withdrawn_left_out": withdrawn_left_out,
                    "seal_key_fingerprint": fingerprint,
                    "program": f"Evidence Kit {__version__}",
                },
            )
            try:
                records = list(vault.custody_records())
                sealed_at = str(records[-1]["at"])
                context = report.build(
                    vault, plan, options, bundle_id=bundle_id, sealed_at=sealed_at,
                    fingerprint=fingerprint, custody=records, asked=asked,
                    withdrawn_left_out=withdrawn_left_out, timestamps_note=TIMESTAMPS_NOTE,
                )  # fmt: skip
                zip_sha = _write_zip(
                    vault, plan, options, context, records, partial,
                    bundle_id=bundle_id, sealed_at=sealed_at, fingerprint=fingerprint,
                    total=total, progress=progress, cancel=cancel,
                    html_image_budget=html_image_budget, pdf_render=pdf.render,
                    html_render=report_html.render_html,
                )  # fmt: skip
                _durable_write(sidecar_partial, f"{zip_sha}  {final.name}\n".encode("ascii"))
                os.replace(partial, final)
                os.replace(sidecar_partial, sidecar)
                _fsync_dir(out_dir)
            except OSError as exc:  # named here: the vault would take it for its own disk
                raise ExportError(
                    f"Cannot write the bundle in {out_dir}: {exc.strerror or exc}.",
                    hint="Check there is room on that disk and that you may write there. "
                    "Nothing was recorded and no file was left.",
                ) from exc
    except BaseException:
        for path in (partial, sidecar_partial, final, sidecar):
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    return ExportResult(
        bundle_id, final, sidecar, zip_sha, fingerprint, len(plan), withdrawn_left_out, seq
    )


def _write_zip(
    vault: Vault,
    plan: list[Exhibit],
    options: Options,
    context: Any,
    records: list[dict[str, Any]],
    path: Path,
    *,
    bundle_id: str,
    sealed_at: str,
    fingerprint: str,
    total: int | None,
    progress: Progress,
    cancel: CancelFlag,
    html_image_budget: int,
    pdf_render: Any,
    html_render: Any,
) -> str:
    stamp = parse_iso_utc(sealed_at)
    out = BundleZip(path, bundle_id, stamp)
    done = [0]

    def advance(count: int) -> None:
        done[0] += count
        progress(done[0], total)

    try:
        verify_sha = out.add_bytes(
            layout.VERIFY_TXT, verify_text(bundle_id, sealed_at, fingerprint, options.audience)
        )[0]
        payload: list[tuple[str, str, str, int]] = []  # (path in bag, sha256, sha512, size)

        def add(
            name: str, chunks: Any, size: int | None = None, verified: str | None = None
        ) -> None:
            inner = f"{layout.DATA}/{name}"
            sha256, sha512, written = out.add_stream(
                f"{layout.BAG}/{inner}", chunks, size=size,
                on_chunk=advance if verified else None, cancel=cancel, verified_sha256=verified,
            )  # fmt: skip
            payload.append((inner, sha256, sha512, written))

        for exhibit in plan:
            item = exhibit.item
            if exhibit.file and item.sha256:
                # vault.content() raises VaultCorrupted unless the bytes hash to item.sha256.
                add(f"{exhibit.folder}/{exhibit.file}", vault.content(item.id), item.size,
                    item.sha256)  # fmt: skip
                if payload[-1][3] != item.size:
                    raise ExportError(f"Item {item.id} did not read back as it was stored.")
            if item.kind == ItemKind.IMPORT:
                add(f"{exhibit.folder}/{layout.MESSAGES}", _messages(vault, item.id))
            record = exhibits.item_record(exhibit, bundle_id)
            body = json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
            add(f"{exhibit.folder}/{layout.ITEM_JSON}", [body.encode("utf-8")])
        add(layout.CUSTODY_LOG, _custody(records))
        add(layout.REPORT_HTML, html_render(context, vault, image_budget=html_image_budget))
        if cancel():
            from evidence_kit.errors import Cancelled

            raise Cancelled()
        add(layout.REPORT_PDF, [pdf_render(context, vault)])

        octets = sum(entry[3] for entry in payload)
        info = {
            "Source-Organization": options.organisation or "not given",
            "Contact-Name": options.contact_name or vault.owner,
            "External-Identifier": bundle_id,
            "External-Description": options.title
            or f"Evidence bundle for {layout.AUDIENCE_TITLES[options.audience]}",
            "Bagging-Date": sealed_at[:10],
            "Payload-Oxum": bag.payload_oxum(octets, len(payload)),
            "Bag-Software-Agent": f"Evidence Kit {__version__}",
            "Bag-Group-Identifier": options.case or "items chosen one by one",
            "Evidence-Bundle-Format": layout.FORMAT,
            "Evidence-Sealed-At": sealed_at,
            "Evidence-Seal-Key-Fingerprint": fingerprint,
            "Evidence-Audience": options.audience,
            "Evidence-Verify-Txt-Sha256": verify_sha,
        }
        tags = {
            "bagit.txt": bag.BAGIT_TXT,
            "bag-info.txt": bag.bag_info(info),
            "manifest-sha256.txt": bag.manifest((p, s256) for p, s256, _, _ in payload),
            "manifest-sha512.txt": bag.manifest((p, s512) for p, _, s512, _ in payload),
        }
        digests = {name: out.add_bytes(f"{layout.BAG}/{name}", data) for name, data in tags.items()}
        tag256 = bag.manifest((name, d[0]) for name, d in digests.items())
        tag512 = bag.manifest((name, d[1]) for name, d in digests.items())
        out.add_bytes(f"{layout.BAG}/tagmanifest-sha256.txt", tag256)
        out.add_bytes(f"{layout.BAG}/tagmanifest-sha512.txt", tag512)
        for name, data in seal.seal_files(tag256, vault.seal_public_key, vault.sign).items():
            out.add_bytes(f"{layout.SEAL}/{name}", data)
        out.close()
    except BaseException:
        out.abort()
        raise
    return _hash_and_sync(path)


def _hash_and_sync(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb+") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
        handle.flush()
        os.fsync(handle.fileno())
    return digest.hexdigest()


def _durable_write(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


__all__ = ["EvidenceKitError", "ExportResult", "Options", "export_bundle"]
