"""Export: stream chosen items from the vault into a sealed `EVB-<id>.zip`.

Only what was chosen travels: the items, their records (without the sender's paths, computer or
account names) and the custody events about them; every other event of the vault's chain is an
opaque link. The export is itself a custody event, recorded in the transaction that covers
writing the bundle, so the bundle's log ends with it (see `export_bundle` for the order that
keeps the vault and its bundles in agreement when the program is killed).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence_kit import __version__, previews, switching
from evidence_kit.bundle import audience, carry, exhibits, stamps, transport
from evidence_kit.bundle.exhibits import Exhibit
from evidence_kit.bundle.format import bag, custody, keys, layout, seal
from evidence_kit.bundle.prefetch import Prefetched
from evidence_kit.bundle.zipout import BundleZip
from evidence_kit.casefile import bundle_files as case_files
from evidence_kit.casefile.model import CaseFile
from evidence_kit.clock import parse_iso_utc
from evidence_kit.errors import Cancelled, EvidenceKitError, ExportError, NotFound
from evidence_kit.fsutil import fsync_dir, write_durably
from evidence_kit.model import CancelFlag, Item, ItemKind, Progress, never_cancel, no_progress
from evidence_kit.paths import resource_path
from evidence_kit.vault import Vault, Writer, pending
from evidence_kit.vault.message_codec import json_line

ENCRYPTED_ACTION = "bundle encrypted for transport"
# What the cover and VERIFY.txt say about time-stamps is made for each bundle (`stamps.note`):
# which exhibits' times an outside authority witnessed, and which it did not.


@dataclass(frozen=True)
class Options:
    audience: str
    case: str | None = None
    item_ids: tuple[int, ...] = ()
    contact_name: str | None = None
    organisation: str | None = None
    title: str | None = None
    include_withdrawn: bool = False
    encryption: transport.Encryption | None = None  # age, for transport: EVB-<id>.zip.age
    covering_note: str | None = None  # a rep's note to the recipient: case/covering-note.txt


def covering_note_bytes(note: str) -> bytes:
    """The note as the bundle holds it: its lines as written, ending in one newline."""
    return note.strip().replace("\r\n", "\n").encode("utf-8") + b"\n"


def _note_fact(options: Options) -> dict[str, Any]:
    """The export event names the note by its SHA-256 (each bundle's note is its own version)."""
    note = (options.covering_note or "").strip()
    if not note:
        return {}
    return {"covering_note_sha256": hashlib.sha256(covering_note_bytes(note)).hexdigest()}


@dataclass(frozen=True)
class ExportResult:
    bundle_id: str
    zip_path: Path
    sha256_path: Path
    zip_sha256: str
    fingerprint: str
    read_aloud: str
    item_count: int
    withdrawn_left_out: int
    custody_seq: int
    items_time_stamped: int = 0
    seal_time_stamp: str = ""  # who stamped the seal and when, or why there is no token
    sealed_with_token: bool = False
    inner_zip_sha256: str | None = None  # for an encrypted bundle: the zip inside the .age
    encrypted_for: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "bundle_id": self.bundle_id,
            "zip": str(self.zip_path),
            "sha256_file": str(self.sha256_path),
            "zip_sha256": self.zip_sha256,
            "seal_key_fingerprint": self.fingerprint,
            "read_aloud": self.read_aloud,
            "items": self.item_count,
            "withdrawn_left_out": self.withdrawn_left_out,
            "custody_seq": self.custody_seq,
            "items_time_stamped": self.items_time_stamped,
            "seal_time_stamped": self.sealed_with_token,
            "seal_time_stamp": self.seal_time_stamp,
            "encrypted": bool(self.encrypted_for),
            "encrypted_for": list(self.encrypted_for),
            "inner_zip_sha256": self.inner_zip_sha256 or self.zip_sha256,
        }


def choose(vault: Vault, options: Options) -> tuple[list[Item], list[Item], audience.Selection]:
    """What a bundle of `options` holds, before anything is written: (every item in the
    vault, the items asked for, the audience's selection of them). The export wizard lists
    exactly this."""
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
    chosen = audience.select(
        asked, everything, options.audience, include_withdrawn=options.include_withdrawn,
        sort_key=lambda item: (exhibits.evidence_time(item), item.id),
    )  # fmt: skip
    return everything, asked, chosen


def _select(
    vault: Vault, options: Options
) -> tuple[list[Exhibit], list[exhibits.Withheld], int, list[Any]]:
    everything, asked, chosen = choose(vault, options)
    if not chosen.travel:
        raise ExportError("There is nothing to export: every item asked for is withdrawn.")
    plan, withheld = exhibits.plan(chosen.travel, everything, vault.owner, chosen.withheld)
    carried = carry.plan_carried(vault, plan)
    for exhibit in plan:
        if exhibit.item.kind == ItemKind.IMPORT:
            exhibit.message_count = vault.message_count(exhibit.item.id)
        received = exhibit.item.metadata.get("received")
        if isinstance(received, dict) and received.get("bundle_item_id") in carried:
            exhibit.received = carried[received["bundle_item_id"]].reference()
    return plan, withheld, chosen.withdrawn_left_out, asked


def _case_file(vault: Vault, options: Options) -> CaseFile:
    """The case's incidents, people, statement and chronology for the report (a bundle of
    chosen items, not of a case, has none)."""
    if not options.case:
        return CaseFile(case_name="")
    from evidence_kit.casefile import load

    return load(vault, options.case)


def _messages(vault: Vault, item_id: int) -> Iterator[bytes]:
    batch: list[bytes] = []
    for record in vault.messages(item_id):
        batch.append(json_line(record))
        if len(batch) >= 2000:
            yield b"".join(batch)
            batch = []
    if batch:
        yield b"".join(batch)


def travelling_custody(
    records: Iterable[dict[str, Any]], subjects: set[str]
) -> list[dict[str, Any]]:
    """The custody log as it travels: in full the vault's first event (it names the seal key)
    and every event about what this bundle holds (`subjects`); every other event as an opaque
    link, so the chain verifies end to end and reveals nothing of the acts it stands for."""
    return [
        record
        if record["seq"] == 1 or record["subject"] in subjects
        else custody.opaque_link(record)
        for record in records
    ]


def _custody(records: Sequence[dict[str, Any]]) -> Iterator[bytes]:
    for start in range(0, len(records), 2000):
        yield b"".join(custody.canonical(r) + b"\n" for r in records[start : start + 2000])


def stock_block(system: str, bundle_id: str = "EVB-…") -> str:
    """The commands of VERIFY.txt for `system` ("linux", "macos", "windows"), for one bundle.
    One text for VERIFY.txt and the README, so a published copy can be compared with it."""
    name = {"linux": "linux.sh", "macos": "macos.sh", "windows": "windows.ps1"}[system]
    return resource_path("verify", name).read_text("utf-8").replace("@@BUNDLE@@", bundle_id)


def verify_text(
    bundle_id: str, sealed_at: str, public_key: bytes, audience: str, timestamps: str
) -> bytes:
    indent = "    "
    fields = {
        "BUNDLE": bundle_id,
        "SEALED_AT": sealed_at,
        "FINGERPRINT": keys.fingerprint(public_key),
        "READ_ALOUD": keys.read_aloud(public_key),
        "AUDIENCE_TITLE": layout.AUDIENCE_TITLES[audience],
        "AUDIENCE_RULES": layout.AUDIENCE_RULES[audience],
        "TIMESTAMPS": timestamps,
        **{
            system.upper(): "".join(
                indent + line for line in stock_block(system, bundle_id).splitlines(True)
            ).rstrip("\n")
            for system in ("linux", "macos", "windows")
        },
    }
    text = resource_path("VERIFY.txt").read_text("utf-8")
    for key, value in fields.items():
        text = text.replace(f"@@{key}@@", value)
    return text.encode("utf-8")


def export_bundle(
    vault: Vault,
    options: Options,
    out_dir: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
    _before_rename: Callable[[], None] | None = None,  # tests: a kill between commit and rename
    casefile: CaseFile | None = None,  # the case's incidents, people, statement, chronology
) -> ExportResult:
    """Seal the chosen items into `out_dir/EVB-<id>.zip` (and its `.sha256`).

    Order, so that the vault and the bundles never disagree: the partial file's path is
    remembered in the vault folder first; the zip is written (owner-only) inside the transaction
    that records the export event; the transaction commits; only then is the partial renamed
    into place. A kill before the commit leaves no event and (at the next unlock or export) no
    file; a kill after it leaves the recorded event and a partial that the next unlock removes.
    There is never a finished bundle whose export event the vault does not hold.
    """
    from evidence_kit.bundle import pdf, report, report_html
    from evidence_kit.vault.check import pre_export_check

    problems = pre_export_check(vault).problems
    if problems:
        raise ExportError(
            f"The vault failed its integrity check ({problems[0].where} {problems[0].what}"
            f"{f'; {len(problems) - 1} more' if len(problems) > 1 else ''}).",
            hint="Nothing was exported. Run `evidence-kit check` to see every problem.",
        )
    plan, withheld, withdrawn_left_out, asked = _select(vault, options)
    tokens = stamps.item_tokens(vault, plan)
    stamped_note = stamps.note(plan, tokens)
    # Pictures from before previews existed get theirs now, once (the report decodes nothing).
    previews.make(vault, [e.item.id for e in plan], cancel=cancel)
    bundle_id = layout.new_bundle_id(vault.clock.now())
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"Cannot make the folder {out_dir}: {exc.strerror}.") from exc
    name = f"{bundle_id}.zip" + (".age" if options.encryption else "")
    final = out_dir / name
    sidecar = out_dir / f"{name}.sha256"  # for an encrypted bundle, the .age file's SHA-256
    partial = out_dir / f".{name}.partial"
    sidecar_partial = out_dir / f".{name}.sha256.partial"
    # An encrypted bundle also gets the zip's own .sha256, for the checks once it is decrypted.
    inner_sidecar = out_dir / f"{bundle_id}.zip.sha256" if options.encryption else None
    inner_partial = out_dir / f".{bundle_id}.zip.sha256.partial" if inner_sidecar else None
    if final.exists() or sidecar.exists() or (inner_sidecar and inner_sidecar.exists()):
        raise ExportError(f"{final} already exists; choose another folder.")
    total = sum(e.item.size for e in plan if e.file) or None
    fingerprint = vault.fingerprint
    pending.sweep(vault.folder)
    pending.remember(vault.folder, partial, sidecar_partial, *_given(inner_partial))
    subjects = {f"item:{e.item.id}" for e in plan} | {f"bundle:{bundle_id}"}
    subjects |= {f"case:{c.id}" for c in vault.cases() if c.name == options.case}
    subjects |= case_files.subjects(vault, options.case, plan) if options.case else set()
    committed = False
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
                    **(
                        {
                            "withheld": [
                                {"exhibit": w.label, "sha256": w.item.sha256} for w in withheld
                            ]
                        }
                        if withheld
                        else {}
                    ),
                    **_note_fact(options),
                    "seal_key_fingerprint": fingerprint,
                    "program": f"Evidence Kit {__version__}",
                },
            )
            try:
                records = travelling_custody(vault.custody_records(), subjects)
                sealed_at = str(records[-1]["at"])
                context = report.build(
                    vault, plan, options, bundle_id=bundle_id, sealed_at=sealed_at,
                    fingerprint=fingerprint, read_aloud=keys.read_aloud(vault.seal_public_key),
                    custody=records, asked=asked, withdrawn_left_out=withdrawn_left_out,
                    timestamps_note=stamped_note, withheld=withheld,
                    unwitnessed=stamps.unwitnessed(plan, tokens),
                    casefile=casefile or _case_file(vault, options),
                )  # fmt: skip
                zip_sha, seal_token, outer_sha = _write_zip(
                    vault, plan, options, context, records, partial, writer, tokens, stamped_note,
                    bundle_id=bundle_id, sealed_at=sealed_at, fingerprint=fingerprint,
                    total=total, progress=progress, cancel=cancel,
                    pdf_render=pdf.render,
                    html_render=report_html.render_html,
                )  # fmt: skip
                write_durably(
                    sidecar_partial,
                    f"{outer_sha or zip_sha}  {final.name}\n".encode("ascii"),
                    suffix="",
                )
                if inner_partial is not None:
                    write_durably(
                        inner_partial, f"{zip_sha}  {bundle_id}.zip\n".encode("ascii"), suffix=""
                    )
                writer.stamp_later(zip_sha, f"bundle:{bundle_id}")  # the bundle waits for one too
                if options.encryption is not None and outer_sha is not None:
                    writer.record(ENCRYPTED_ACTION, f"bundle:{bundle_id}", {
                        "bundle_id": bundle_id,
                        "inner_zip_sha256": zip_sha,
                        "age_sha256": outer_sha,
                        "encrypted_for": options.encryption.described(),
                    })  # fmt: skip
            except OSError as exc:  # named here: the vault would take it for its own disk
                raise _write_failed(out_dir, exc) from exc
        committed = True
        if _before_rename is not None:
            _before_rename()
        try:
            os.replace(partial, final)
            os.replace(sidecar_partial, sidecar)
            if inner_partial is not None and inner_sidecar is not None:
                os.replace(inner_partial, inner_sidecar)
            fsync_dir(out_dir)
        except OSError as exc:
            raise ExportError(
                f"The bundle {bundle_id} was sealed and recorded, but it could not be put in place "
                f"in {out_dir}: {exc.strerror or exc}.",
                hint="Export again; the vault's log shows this export as not handed over.",
            ) from exc
    except BaseException:
        leftovers = (partial, sidecar_partial, *_given(inner_partial))
        for path in (*leftovers, *(() if committed else (final, sidecar, *_given(inner_sidecar)))):
            with contextlib.suppress(OSError):
                path.unlink()
        pending.forget(vault.folder, partial, sidecar_partial, *_given(inner_partial))
        raise
    pending.forget(vault.folder, partial, sidecar_partial, *_given(inner_partial))
    encrypted = tuple(options.encryption.described()) if options.encryption else ()
    return ExportResult(
        bundle_id, final, sidecar, outer_sha or zip_sha, fingerprint,
        keys.read_aloud(vault.seal_public_key), len(plan), withdrawn_left_out, seq, len(tokens),
        seal_token[1], seal_token[0], zip_sha if encrypted else None, encrypted,
    )  # fmt: skip


def _given(*paths: Path | None) -> tuple[Path, ...]:
    return tuple(path for path in paths if path is not None)


def _write_failed(out_dir: Path, exc: OSError) -> ExportError:
    return ExportError(
        f"Cannot write the bundle in {out_dir}: {exc.strerror or exc}.",
        hint="Check there is room on that disk and that you may write there. "
        "Nothing was recorded and no file was left.",
    )


def _write_zip(
    vault: Vault,
    plan: list[Exhibit],
    options: Options,
    context: Any,
    records: list[dict[str, Any]],
    path: Path,
    writer: Writer,
    tokens: dict[int, stamps.Token],
    stamped_note: str,
    *,
    bundle_id: str,
    sealed_at: str,
    fingerprint: str,
    total: int | None,
    progress: Progress,
    cancel: CancelFlag,
    pdf_render: Any,
    html_render: Any,
) -> tuple[str, tuple[bool, str], str | None]:
    stamp = parse_iso_utc(sealed_at)
    sink = None
    if options.encryption is not None:
        sink = transport.EncryptedSink(path, options.encryption)
    out = BundleZip(path, bundle_id, stamp, sink)
    printing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bundle-pdf")
    # The PDF's layout is Python; the zip's writer and hasher hand Python's lock back and forth
    # several times a chunk: without quick switches each hand-over waited up to 5 ms for it.
    switching.begin()
    done = [0]

    def advance(count: int) -> None:
        done[0] += count
        progress(done[0], total)

    try:
        verify_sha = out.add_bytes(
            layout.VERIFY_TXT,
            verify_text(
                bundle_id, sealed_at, vault.seal_public_key, options.audience, stamped_note
            ),
        )[0]
        # The offline browser verifier, beside VERIFY.txt; its SHA-256 is sealed in bag-info.txt.
        html_sha = out.add_bytes(
            layout.VERIFY_HTML, resource_path(layout.VERIFY_HTML).read_bytes()
        )[0]
        names: list[str] = []  # payload files, as the manifests name them ("data/…")
        sizes: dict[str, int] = {}  # the size each file must have

        def add(
            name: str, chunks: Any, size: int | None = None, verified: str | None = None
        ) -> None:
            inner = f"{layout.DATA}/{name}"
            out.add_stream(
                f"{layout.BAG}/{inner}", chunks, size=size,
                on_chunk=advance if verified else None, cancel=cancel, expect_sha256=verified,
            )  # fmt: skip
            names.append(inner)
            if size is not None:
                sizes[inner] = size

        # The printable report is laid out on a thread of its own while the files stream (its
        # layout is Python; the streaming is SQLCipher, hashing and writing, which let it run).
        printed = printing.submit(pdf_render, context, Prefetched(vault, context))
        for exhibit in plan:
            item = exhibit.item
            if exhibit.file and item.sha256:
                # The writer refuses (VaultCorrupted) unless the bytes hash to item.sha256.
                add(f"{exhibit.folder}/{exhibit.file}",
                    vault.content_by_hash(item.sha256, verify=False), item.size, item.sha256)  # fmt: skip
                token = tokens.get(item.id)
                if token is not None:
                    add(f"{exhibit.folder}/{exhibit.file}{stamps.TOKEN_SUFFIX}", [token.reply])
                    add(f"{exhibit.folder}/{exhibit.file}{stamps.LIST_SUFFIX}", [token.data])
            if item.kind == ItemKind.IMPORT:
                add(f"{exhibit.folder}/{layout.MESSAGES}", _messages(vault, item.id))
            record = exhibits.item_record(exhibit, bundle_id)
            body = json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
            add(f"{exhibit.folder}/{layout.ITEM_JSON}", [body.encode("utf-8")])
        for sender in carry.plan_carried(vault, plan).values():  # the senders' seals carried on
            if not sender.full:
                continue
            for inner, sha256 in sorted(sender.payload.items()):
                add(f"{layout.RECEIVED}/{sender.bundle_id}/{inner}", vault.content_by_hash(sha256))
            for name, sha256 in sorted(sender.outside.items()):
                out.add_bytes(f"{layout.RECEIVED}/{sender.bundle_id}/{name}",
                              b"".join(vault.content_by_hash(sha256)))  # fmt: skip
        add(layout.CUSTODY_LOG, _custody(records))
        if context.withheld:
            listed = [w.as_dict() for w in context.withheld]
            body = json.dumps(listed, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
            add(layout.CASE_WITHHELD, [body.encode("utf-8")])
        if context.covering_note:
            add(layout.CASE_COVERING_NOTE, [covering_note_bytes(context.covering_note)])
        if options.case:  # the case file: incidents, people, statement, chronology
            for name, data in case_files.files(vault, options.case, plan, context.withheld):
                add(name, [data])
        add(layout.REPORT_HTML, html_render(context, vault))
        if cancel():
            raise Cancelled()
        add(layout.REPORT_PDF, [printed.result()])
        out.flush()
        payload = [(name, *out.digests[f"{layout.BAG}/{name}"]) for name in names]
        for name, _, _, written in payload:
            if name in sizes and written != sizes[name]:
                raise ExportError(f"{name} did not read back from the vault as it was stored.")

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
            "Evidence-Verify-Html-Sha256": html_sha,
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
        sealed, why = stamps.seal_token(vault, writer, tag256)
        if sealed is not None:
            out.add_bytes(f"{layout.SEAL}/{layout.SEAL_TOKEN}", sealed.reply)
            said = f"time-stamped by {sealed.signer} at {sealed.gen_time}"
        else:
            said = f"no time-stamp over the seal: {why}"
        travelling = [*tokens.values(), *([sealed] if sealed else [])]
        if travelling:
            out.add_bytes(f"{layout.SEAL}/{layout.TSA_CHAIN}", stamps.chain_pem(travelling))
        inner = out.close()
        return inner, (sealed is not None, said), sink.outer_sha256 if sink else None
    except BaseException:
        out.abort()
        raise
    finally:
        printing.shutdown(wait=True, cancel_futures=True)
        switching.end()


__all__ = ["EvidenceKitError", "ExportResult", "Options", "export_bundle"]
