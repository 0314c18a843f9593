"""Redacting an import's messages with a proof: hidden parts of a message's text (a bystander's
name, a number) or whole messages, in a derived copy; the original export stays untouched.

The copy is the import's messages as JSON lines (one `json_line` each, as a bundle's
messages.jsonl holds them) with each hidden span replaced by `[hidden]` and each hidden message
by `{"hidden": true, "index": N}`. The proof lists every hidden part — message, field, span —
with a salted commitment to what it hides:
  a span:    SHA-256(salt ‖ "evidence-kit-span-v1|<index>|<field>|<start>-<end>|" ‖ the hidden text)
  a message: SHA-256(salt ‖ "evidence-kit-message-v1|<index>|" ‖ the original line)
Spans count characters from 0, the end not included. Anyone with the original messages can check
that nothing else changed; one salt, disclosed, opens one part.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from evidence_kit.redaction.pictures import RedactionError
from evidence_kit.vault.message_codec import json_line

SCHEME = "evidence-kit-message-redaction-v1"
MARKER = "[hidden]"
SEARCHED = ("text", "text_raw", "sender", "sender_id", "conversation")  # where --hide-text looks


@dataclass(frozen=True)
class Hide:
    """One message (`start` None: the whole of it) or one span of its text."""

    index: int
    start: int | None = None
    end: int | None = None

    @classmethod
    def parse(cls, text: str) -> Hide:
        """`12` (message 12) or `12:5-17` (its characters 5 up to 17)."""
        number, _, span = text.partition(":")
        try:
            index = int(number)
            if not span:
                return cls(index)
            start, _, end = span.partition("-")
            hide = cls(index, int(start), int(end))
        except ValueError:
            raise RedactionError(
                f"--message takes INDEX or INDEX:FROM-TO (characters from 0), not {text!r}."
            ) from None
        if hide.start is None or hide.end is None or not 0 <= hide.start < hide.end:
            raise RedactionError(f"The span in {text!r} is empty or backwards.")
        return hide


def span_commitment(salt: bytes, index: int, name: str, start: int, end: int, hidden: str) -> str:
    label = f"evidence-kit-span-v1|{index}|{name}|{start}-{end}|".encode()
    return hashlib.sha256(salt + label + hidden.encode("utf-8")).hexdigest()


def message_commitment(salt: bytes, index: int, line: bytes) -> str:
    return hashlib.sha256(salt + f"evidence-kit-message-v1|{index}|".encode() + line).hexdigest()


def _occurrences(value: str, needles: list[str]) -> list[tuple[int, int]]:
    folded = value.casefold()
    found = []
    for needle in needles:
        key = needle.casefold()
        at = folded.find(key)
        while key and at >= 0:
            found.append((at, at + len(key)))
            at = folded.find(key, at + len(key))
    return found


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def apply_spans(value: str, spans: list[tuple[int, int]]) -> str:
    """`value` with each (start, end) span replaced by the marker (spans sorted, apart)."""
    parts, at = [], 0
    for start, end in spans:
        parts.append(value[at:start])
        parts.append(MARKER)
        at = end
    parts.append(value[at:])
    return "".join(parts)


@dataclass
class Redaction:
    """Made while the copy's lines stream out (`lines()`); `proof` and `salts` are whole after."""

    reason: str
    hidden: list[dict[str, Any]] = field(default_factory=list)
    salts: list[bytes] = field(default_factory=list)
    original: Any = field(default_factory=hashlib.sha256)
    count: int = 0

    def proof(self, parent_sha256: str) -> dict[str, Any]:
        return {
            "scheme": SCHEME,
            "parent_sha256": parent_sha256,
            "parent_messages_sha256": self.original.hexdigest(),
            "message_count": self.count,
            "marker": MARKER,
            "hidden": self.hidden,
            "reason": self.reason,
        }

    def _salt(self) -> bytes:
        salt = secrets.token_bytes(32)
        self.salts.append(salt)
        return salt


def redact(
    records: Iterable[Mapping[str, Any]], hides: list[Hide], needles: list[str], reason: str
) -> tuple[Redaction, Iterator[bytes]]:
    """The redaction (its proof fills as the lines are read) and the copy's lines."""
    reason = reason.strip()
    if not reason:
        raise RedactionError("Say why these parts are hidden: a reason is kept with the copy.")
    needles = [n for n in (needle.strip() for needle in needles) if n]
    if not hides and not needles:
        raise RedactionError("Say what to hide: --message INDEX[:FROM-TO] or --hide-text TEXT.")
    whole = {h.index for h in hides if h.start is None}
    spans: dict[int, list[tuple[int, int]]] = {}
    for hide in hides:
        if hide.start is not None and hide.end is not None:
            spans.setdefault(hide.index, []).append((hide.start, hide.end))
    made = Redaction(reason)

    def lines() -> Iterator[bytes]:
        seen: set[int] = set()
        for record in records:
            line = json_line(record)
            made.original.update(line)
            made.count += 1
            index = int(record["index"])
            seen.add(index)
            if index in whole:
                made.hidden.append({"index": index, "whole": True,
                                    "commitment": message_commitment(made._salt(), index, line)})  # fmt: skip
                yield json_line({"hidden": True, "index": index})
                continue
            out = dict(record)
            for name in SEARCHED:
                value = record.get(name)
                if not isinstance(value, str):
                    continue
                found = _occurrences(value, needles)
                if name == "text":
                    found += spans.get(index, [])
                elif name == "text_raw" and spans.get(index) and value != record.get("text"):
                    found.append((0, len(value)))  # spans count in `text`; its raw form goes whole
                elif name == "text_raw" and spans.get(index):
                    found += spans[index]
                for start, end in _merged(found):
                    if end > len(value):
                        raise RedactionError(
                            f"Message {index} has {len(value)} characters in its {name}; the span "
                            f"{start}-{end} goes past them."
                        )
                    made.hidden.append({
                        "index": index, "field": name, "start": start, "end": end,
                        "commitment": span_commitment(made._salt(), index, name, start, end,
                                                      value[start:end]),
                    })  # fmt: skip
                merged = _merged(found)
                if merged:
                    out[name] = apply_spans(value, merged)
            yield json_line(out)
        missing = sorted({h.index for h in hides} - seen)
        if missing:
            raise RedactionError(f"There is no message {missing[0]} in this import.")

    return made, lines()


def check(
    redacted: bytes,
    original: bytes,
    proof: Mapping[str, Any],
    salts: dict[int, bytes] | None = None,
) -> list[str]:
    """What is wrong with the claim that `redacted` (JSON lines) derives from `original` as the
    proof says; `salts` (hidden part number from 1 -> salt) opens those commitments."""
    if proof.get("scheme") != SCHEME:
        return [f"the proof is not a message redaction proof ({proof.get('scheme')!r})"]
    problems: list[str] = []
    if hashlib.sha256(original).hexdigest() != proof.get("parent_messages_sha256"):
        problems.append("the original messages are not the ones the proof names")
    try:
        copy = [json.loads(line) for line in redacted.decode("utf-8").splitlines()]
        source = [json.loads(line) for line in original.decode("utf-8").splitlines()]
    except (UnicodeDecodeError, ValueError):
        return [*problems, "the messages cannot be read as JSON lines"]
    if len(copy) != len(source):
        return [*problems, f"the copy has {len(copy)} messages, the original {len(source)}"]
    hidden = list(proof.get("hidden") or [])
    by_index: dict[int, list[dict[str, Any]]] = {}
    for part in hidden:
        by_index.setdefault(int(part.get("index", -1)), []).append(part)
    for made, was in zip(copy, source, strict=True):
        index = was.get("index")
        parts = by_index.get(int(index) if isinstance(index, int) else -1, [])
        if any(p.get("whole") for p in parts):
            if made != {"hidden": True, "index": index}:
                problems.append(f"message {index} should be hidden whole in the copy")
            continue
        expected = dict(was)
        for name in {p.get("field") for p in parts}:
            spans = sorted(
                (int(p["start"]), int(p["end"])) for p in parts if p.get("field") == name
            )
            value = was.get(name)
            if isinstance(value, str):
                expected[name] = apply_spans(value, spans)
        if made != expected:
            problems.append(f"message {index} differs from the original outside its hidden parts")
    for number, salt in (salts or {}).items():
        if not 1 <= number <= len(hidden):
            problems.append(f"there is no hidden part {number} to open")
            continue
        part = hidden[number - 1]
        index = int(part["index"])
        was = next((r for r in source if r.get("index") == index), None)
        if was is None:
            problems.append(f"hidden part {number} names message {index}, which is not there")
        elif part.get("whole"):
            if message_commitment(salt, index, json_line(was)) != part.get("commitment"):
                problems.append(f"hidden part {number}'s commitment does not open with this salt")
        else:
            name, start, end = str(part["field"]), int(part["start"]), int(part["end"])
            value = str(was.get(name) or "")
            digest = span_commitment(salt, index, name, start, end, value[start:end])
            if digest != part.get("commitment"):
                problems.append(f"hidden part {number}'s commitment does not open with this salt")
    return problems
