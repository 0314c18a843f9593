"""The person's statement, in their own words, one per case and versioned: each version is a
`statements` row made by its own custody event (the case's subject); every version is kept, and
the text is stored exactly as written (not trimmed, not re-encoded)."""

from __future__ import annotations

from pathlib import Path

from evidence_kit.casefile.model import Statement
from evidence_kit.casefile.reading import Source, connection
from evidence_kit.clock import iso_utc
from evidence_kit.errors import InputFileError, Refused, input_error
from evidence_kit.vault.writer import Writer

MAX_BYTES = 2 * 1024 * 1024  # a statement of several hundred pages; not a place for files


def read_file(path: Path) -> str:
    """A statement file's text, exactly: UTF-8, not empty, not huge; else an error naming it."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputFileError(
                f"{path} is {size // 1024} KB: a statement can be at most {MAX_BYTES // 1024} KB.",
                hint="Add long documents as evidence files (`evidence-kit add`).",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise input_error(path, exc) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"{path} is not UTF-8 text (byte {exc.start} cannot be read).",
            hint="Save it as plain text (UTF-8) and try again.",
        ) from None
    if "\x00" in text:
        raise InputFileError(f"{path} is not plain text: it holds a zero byte.")
    if not text.strip():
        raise InputFileError(f"{path} is empty: there is no statement in it.")
    return text


def versions(source: Source, case_id: int) -> list[Statement]:
    rows = connection(source).execute(
        "SELECT case_id, version, text, written_at FROM statements WHERE case_id = ? "
        "ORDER BY version",
        (case_id,),
    )
    return [Statement(int(c), int(v), str(t), str(w)) for c, v, t, w in rows]


def latest(source: Source, case_id: int) -> Statement | None:
    found = versions(source, case_id)
    return found[-1] if found else None


def write(writer: Writer, case_id: int, text: str) -> Statement:
    """Version N+1 of the case's statement (event "statement written"); refused when empty or
    the same as the last version."""
    if not text.strip():
        raise Refused("A statement cannot be empty.")
    before = latest(writer.conn, case_id)
    if before is not None and before.text == text:
        raise Refused(f"That is statement version {before.version} already: nothing changed.")
    version = before.version + 1 if before else 1
    row_id = int(
        writer.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM statements").fetchone()[0]
    )
    at = iso_utc(writer.clock.now())
    row = {"id": row_id, "case_id": case_id, "version": version, "text": text, "written_at": at}
    details = {"version": version, "characters": len(text)}
    writer._act("statements", row, "statement written", f"case:{case_id}", details)
    return Statement(case_id, version, text, at)
