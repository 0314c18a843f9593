"""WhatsApp "Export chat": a `.txt` (Android) or a `.zip` with the chat and media (iOS, Android).

Detection reads content: a text whose first line is a full WhatsApp header, or a zip holding
`_chat.txt` (iOS) or a `WhatsApp Chat ….txt` (Android). Times are local wall-clock times with
no offset: they are read in the zone the person confirms (`--tz`). Files a message names are
kept as attachment items when the zip has them (streamed, size-checked); a named file missing
from the export is recorded as "referenced, not captured" (`present=False`); "<Media omitted>"
placeholders as `omitted=True`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack
from typing import IO, ClassVar

from evidence_kit.bundle.format.zipsafe import Entry
from evidence_kit.errors import ImportFailed
from evidence_kit.importers import whatsapp_grammar as g
from evidence_kit.importers.base import Session, Source
from evidence_kit.importers.textlines import LineReader, TooLong, Warnings, position
from evidence_kit.importers.whatsapp_parse import (
    WARNING_LABELS,
    ChatOptions,
    ChatParser,
    Row,
    survey,
)
from evidence_kit.importers.zipsafe import SafeZip
from evidence_kit.model import AttachmentRef, Message
from evidence_kit.vault.message_codec import message_from_row


def chat_member(names: tuple[str, ...] | list[str]) -> str | None:
    """The chat text inside a WhatsApp zip: `_chat.txt`, else one `WhatsApp Chat ….txt`."""
    texts = [n for n in names if n.lower().endswith(".txt") and not n.endswith("/")]
    for name in texts:
        if name.rsplit("/", 1)[-1] == "_chat.txt":
            return name
    for name in texts:
        if g.conversation_from_filename(name.rsplit("/", 1)[-1]):
            return name
    return None


def looks_like_chat(head: bytes, whole: bool) -> bool:
    """Does a complete line among the first few start with a WhatsApp header?"""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    lines = re.split("\r\n|\r|\n", text)
    if not whole:
        lines = lines[:-1]  # the last piece may be cut off by the head's end
    candidates = [line for line in lines[:10] if line.strip()]
    return bool(candidates) and g.header_form(candidates[0]) is not None


class WhatsAppImporter:
    name: ClassVar[str] = "whatsapp"
    label: ClassVar[str] = "WhatsApp chat export"
    zone_free: ClassVar[bool] = True

    def detect(self, source: Source) -> bool:
        if source.zip_names is not None:
            return chat_member(source.zip_names) is not None
        return looks_like_chat(source.head, whole=source.size <= len(source.head))

    def parse(self, source: Source, session: Session) -> Iterator[Message]:
        for batch in self.parse_rows(source, session):
            yield from map(message_from_row, batch)

    def parse_rows(self, source: Source, session: Session) -> Iterator[list[Row]]:
        """The messages as rows (`message_codec.MessageRow` order), a list per block read: the
        import's fast path (see `run.import_file`)."""
        try:
            yield from self._parse(source, session)
        except TooLong as exc:
            raise ImportFailed(
                f"{source.path} is not a WhatsApp chat export: {exc}.",
                hint="You can still keep it as it is with `evidence-kit add`.",
            ) from exc

    def _parse(self, source: Source, session: Session) -> Iterator[list[Row]]:
        with ExitStack() as stack:
            archive: SafeZip | None = None
            members: dict[str, Entry] = {}
            if source.zip_names is not None:
                archive = stack.enter_context(SafeZip(source.path))
                infos = archive.members()
                chat = chat_member([info.filename for info in infos])
                if chat is None:
                    raise ImportFailed(f"{source.path} is a zip without a WhatsApp chat in it.")
                chat_info = next(info for info in infos if info.filename == chat)
                members = {
                    g.INVISIBLE.sub("", info.filename.rsplit("/", 1)[-1]): info
                    for info in infos
                    if info is not chat_info
                }
                conversation = g.conversation_from_filename(source.name) or (
                    g.conversation_from_filename(chat.rsplit("/", 1)[-1])
                )

                def opener() -> IO[bytes]:
                    assert archive is not None
                    return archive.open(chat_info)

                total = chat_info.file_size
            else:
                conversation = g.conversation_from_filename(source.name)

                def opener() -> IO[bytes]:
                    return source.open()

                total = source.size
            options = ChatOptions(
                session.options.tz, session.options.date_order, conversation=conversation
            )
            with opener() as handle:
                found = survey(handle, options, str(source.path))
            session.facts.update(found.order.facts())
            session.facts["header_form"] = found.form.description
            if found.order.ambiguous:
                other = "mdy" if found.order.order == "dmy" else "dmy"
                session.warn(
                    None,
                    f"The dates could be read day-first or month-first ({found.order.reason}); "
                    f"they were read as {_order_words(found.order.order)}. If that is wrong, "
                    f"import again with --date-order {other}.",
                )
            warnings = Warnings(session.warn)
            missing = [0]  # named files that are not in the export
            named: set[str] = set()

            def attach(name: str, line: int) -> AttachmentRef:
                info = members.get(g.INVISIBLE.sub("", name))
                if archive is None or info is None:
                    missing[0] += 1
                    if archive is not None:
                        warnings.add("missing", line, f"{name} is named but not in the zip")
                    return AttachmentRef(name, present=False)
                named.add(info.filename)
                return session.keep_attachment(
                    name,
                    archive.stream(info),
                    key=info.filename,
                    metadata={"zip_member": info.filename},
                )

            parser = ChatParser(found, options, warnings, attach)
            handle = stack.enter_context(opener())
            reader = LineReader(handle, warnings)
            for batch in parser.rows(reader):
                session.check_cancel()
                session.progress(position(handle), total)
                yield batch
            warnings.close(WARNING_LABELS)
            self._report(session, parser, reader, archive is not None, missing[0])
            if archive is not None:
                # kept inside the zip (the original), but no message names them
                session.facts["files_in_zip_not_named"] = len(members) - len(named)

    def _report(
        self, session: Session, parser: ChatParser, reader: LineReader, zipped: bool, missing: int
    ) -> None:
        counts = parser.counts
        session.facts.update(
            {
                "platform": parser.form.platform,
                "repeated_hour_messages": counts["repeated"],
                "nonexistent_time_messages": counts["nonexistent"],
                "undated_messages": counts["undated"],
                "attachments_not_captured": missing,
            }
        )
        if counts["repeated"]:
            session.warn(
                None,
                f"{counts['repeated']} messages fall in the hour the clocks went back in "
                f"{parser.options.zone.key}; each was placed by its order in the file.",
            )
        if missing and not zipped:
            session.warn(
                None,
                f"{missing} files named in the chat are not part of this text export; they are "
                "recorded as referenced, not captured (import the .zip with media to keep them).",
            )
        if reader.unterminated:
            session.warn(
                None,
                "The file does not end with a line break: the last message may have been cut short.",
            )


def _order_words(order: str) -> str:
    return {"dmy": "day/month/year", "mdy": "month/day/year", "ymd": "year/month/day"}[order]
