"""BagIt 1.0 (RFC 8493) tag files: written in exactly one form, and read back strictly.

Manifest lines are `<lowercase hex>  <path>\\n`, sorted by path, UTF-8 without BOM, LF: the
form that bagit-python, GNU `sha256sum -c` and `shasum -c` all read the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
_HEX = {"sha256": re.compile(r"^[0-9a-f]{64}$"), "sha512": re.compile(r"^[0-9a-f]{128}$")}

# The order bag-info.txt lists its fields in (DESIGN.md, "The sealed bundle").
BAG_INFO_FIELDS = (
    "Source-Organization",
    "Contact-Name",
    "External-Identifier",
    "External-Description",
    "Bagging-Date",
    "Payload-Oxum",
    "Bag-Software-Agent",
    "Bag-Group-Identifier",
    "Evidence-Bundle-Format",
    "Evidence-Sealed-At",
    "Evidence-Seal-Key-Fingerprint",
    "Evidence-Audience",
    "Evidence-Verify-Txt-Sha256",  # VERIFY.txt sits outside the bag; its hash is sealed here
)
# Written only when the file they name is in the bundle.
OPTIONAL_FIELDS = ("Evidence-Verify-Html-Sha256",)  # the browser verifier beside VERIFY.txt


def one_line(value: str) -> str:
    """A bag-info value on one line: control characters become spaces."""
    cleaned = "".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch for ch in value)
    return " ".join(cleaned.split())


def bag_info(fields: Mapping[str, str]) -> bytes:
    lines = []
    for name in BAG_INFO_FIELDS:
        value = one_line(fields.get(name, ""))
        lines.append(f"{name}: {value or 'not given'}\n")
    for name in OPTIONAL_FIELDS:
        if fields.get(name):
            lines.append(f"{name}: {one_line(fields[name])}\n")
    return "".join(lines).encode("utf-8")


def payload_oxum(octets: int, count: int) -> str:
    return f"{octets}.{count}"


def manifest(entries: Iterable[tuple[str, str]]) -> bytes:
    """Lines for (path, hex digest) pairs, sorted by path."""
    return "".join(f"{digest}  {path}\n" for path, digest in sorted(entries)).encode("utf-8")


@dataclass
class ParsedManifest:
    entries: dict[str, str]
    problems: list[str]


def parse_manifest(raw: bytes, algorithm: str) -> ParsedManifest:
    """Entries of a manifest in our exact form; anything else is a problem, never silently read."""
    entries: dict[str, str] = {}
    problems: list[str] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append("starts with a byte-order mark")
    if b"\r" in raw:
        problems.append("has CR line endings")
    if raw and not raw.endswith(b"\n"):
        problems.append("does not end with a line feed")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return ParsedManifest({}, ["is not UTF-8 text"])
    paths: list[str] = []
    for number, line in enumerate(text.split("\n")[:-1] if text else [], start=1):
        digest, sep, path = line.partition("  ")
        if not sep or not _HEX[algorithm].match(digest) or not path:
            problems.append(f"line {number} is not '<hex>  <path>'")
            continue
        if path in entries:
            problems.append(f"lists {path} twice")
        entries[path] = digest
        paths.append(path)
    if paths != sorted(paths):
        problems.append("is not sorted by path")
    return ParsedManifest(entries, problems)


def parse_bag_info(raw: bytes) -> tuple[dict[str, str], list[str]]:
    problems: list[str] = []
    fields: dict[str, str] = {}
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return {}, ["bag-info.txt is not UTF-8 text"]
    for number, line in enumerate(text.splitlines(), start=1):
        if line[:1] in (" ", "\t") and fields:  # a folded continuation line
            last = next(reversed(fields))
            fields[last] += " " + line.strip()
            continue
        name, sep, value = line.partition(":")
        if not sep or not name.strip():
            problems.append(f"bag-info.txt line {number} is not 'Name: value'")
            continue
        if name.strip() in fields:
            problems.append(f"bag-info.txt gives {name.strip()} twice")
        fields[name.strip()] = value.strip()
    return fields, problems
