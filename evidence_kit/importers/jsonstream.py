"""Reading JSON exports of any size in bounded memory, and refusing hostile JSON plainly.

ijson (its C backend) streams the file, but it still hands over each string or number whole,
and it crashes on some hostile input (a number of thousands of digits, nesting thousands deep).
So every byte passes a `Guard` before ijson sees it. The guard follows strings (escapes
included) with a few whole-chunk byte operations, no Python loop per character, and refuses:

- a run of more than `MAX_TOKEN` bytes with no string delimiter (one string or value that long:
  no chat export has one, and holding it would break the memory bound);
- nesting deeper than `MAX_DEPTH` (outside strings);
- a number longer than `MAX_NUMBER` characters (outside strings).

`items(...)` yields the values at one prefix (`messages.item`); `outline(...)` reads the small
fields around a list of messages and counts the list's items, one group per object holding the
list (the root, or each chat of a full Telegram export), so an importer knows a conversation's
name and size before it stores its first message. Errors name the file and say what is wrong.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import IO, Any

import ijson

from evidence_kit.errors import ImportFailed

MAX_TOKEN = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_NUMBER = 400
READ = 256 * 1024
FIELD_VALUES = 10_000  # values kept per outline field (participants …): bounded whatever the file

_KEEP_STRUCTURE = bytes(set(range(256)) - set(b'[]{}"'))
_DEPTH = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_NUMBER_MASK = bytes(48 if chr(b) in "-+.eE0123456789" else 46 for b in range(256))
_LONG_RUN = b"0" * (MAX_NUMBER + 1)


class JsonRefused(ImportFailed):
    """A JSON file that is damaged, hostile or not JSON at all."""


class Guard:
    """A file-like reader over `handle` that checks each block before anyone else reads it."""

    def __init__(
        self,
        handle: IO[bytes],
        name: str,
        *,
        skip_to: bytes | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.handle = handle
        self.warn = warn or (lambda text: None)
        self.decoder: codecs.IncrementalDecoder | None = None
        self.replaced = False
        self.name = name
        self.offset = 0  # bytes handed on so far
        self.in_string = False
        self.since_quote = 0
        self.depth = 0
        self.digits = 0  # number characters at the end of the last block, outside strings
        self.carry = b""  # trailing backslashes, checked with the next block
        self.started = False
        self.skip_to = skip_to
        self.had_bom = False
        self.ended = False  # the whole file has been read

    def refuse(self, what: str) -> JsonRefused:
        return JsonRefused(
            f"{self.name} cannot be read: {what} (near byte {self.offset:,}).",
            hint="No genuine export holds that. Nothing was kept; if you trust the file, keep "
            "it as it is with `evidence-kit add`.",
        )

    def _first(self, block: bytes) -> bytes:
        self.started = True
        while len(block) < 4096 and (more := self.handle.read(READ)):
            block += more
        if block.startswith(b"\xef\xbb\xbf"):
            self.had_bom = True
            block = block[3:]
        elif block.startswith((b"\xff\xfe", b"\xfe\xff")):  # re-saved as UTF-16 (Notepad)
            self.decoder = codecs.getincrementaldecoder("utf-16")(errors="replace")
            self.warn(f"{self.name} is saved as UTF-16 text, not UTF-8; it was read as UTF-16")
        if self.decoder is None:
            self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        block = self._recode(block)
        if self.skip_to is not None:  # e.g. `window.YTD.direct_messages.part0 = [` → `[`
            at = block.find(self.skip_to, 0, 4096)
            if at < 0:
                raise self.refuse(
                    f"it does not start with the expected '… {self.skip_to.decode()}'"
                )
            block = block[at + len(self.skip_to) :]
        return block

    def _recode(self, block: bytes, final: bool = False) -> bytes:
        """Valid UTF-8 for ijson: bytes that are not UTF-8 become U+FFFD, with one warning."""
        assert self.decoder is not None
        text = self.decoder.decode(block, final)
        if not self.replaced and text.count("\ufffd") > block.count(b"\xef\xbf\xbd"):
            self.replaced = True
            self.warn(
                f"{self.name} holds bytes that are not valid UTF-8 text; they are shown as "
                "\ufffd (the original file is kept unchanged)"
            )
        return text.encode("utf-8", "surrogatepass")

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""
        if not self.started:
            block = self._first(self.handle.read(READ))
        else:
            raw = self.handle.read(READ)
            block = self._recode(raw, final=not raw)
            self.ended = not raw
        if block or self.carry:
            self._check(block, final=not block)
        self.offset += len(block)
        return block

    def _check(self, block: bytes, *, final: bool) -> None:
        data = self.carry + block
        cut = 0 if final else len(data) - len(data.rstrip(b"\\"))
        if cut:  # an escape cut by the block boundary: look at it with the next block
            self.carry, data = data[-cut:], data[:-cut]
        else:
            self.carry = b""
        clean = data.replace(b"\\\\", b"xx").replace(b'\\"', b"xx")  # now every " delimits
        starts_inside = self.in_string
        self.in_string ^= clean.count(b'"') % 2 == 1
        self._check_runs(clean)
        self._check_depth(clean, starts_inside)
        self._check_numbers(clean, starts_inside)

    def _check_runs(self, clean: bytes) -> None:
        first = clean.find(b'"')
        if first < 0:
            self.since_quote += len(clean)
        elif self.since_quote + first <= MAX_TOKEN:
            self.since_quote = len(clean) - clean.rfind(b'"') - 1
        else:
            self.since_quote += first
        if self.since_quote > MAX_TOKEN:
            raise self.refuse(f"one value is longer than {MAX_TOKEN // (1024 * 1024)} MB")

    def _check_depth(self, clean: bytes, starts_inside: bool) -> None:
        structure = clean.translate(None, _KEEP_STRUCTURE)
        if starts_inside:
            structure = b'"' + structure
        # Empty strings go first (parity is kept), then what lies between strings is outside.
        outside = b"".join(structure.replace(b'""', b"").split(b'"')[0::2])
        if outside:
            steps = list(map(_DEPTH.__getitem__, outside))
            deepest = max(accumulate(steps, initial=self.depth))
            self.depth += sum(steps)
            if deepest > MAX_DEPTH:
                raise self.refuse(f"its values are nested more than {MAX_DEPTH} levels deep")

    def _check_numbers(self, clean: bytes, starts_inside: bool) -> None:
        too_long = f"it holds a number longer than {MAX_NUMBER} digits"
        mask = clean.translate(_NUMBER_MASK)  # number characters -> "0", all others -> "."
        if self.digits:  # a number that went on from the last block
            lead = len(mask) - len(mask.lstrip(b"0"))
            if self.digits + lead > MAX_NUMBER:
                raise self.refuse(too_long)
        at = mask.find(_LONG_RUN)
        while at >= 0:  # a long run of digits is fine inside a string (a message can hold one)
            if not starts_inside ^ (clean.count(b'"', 0, at) % 2 == 1):
                raise self.refuse(too_long)
            after = mask.find(b".", at)
            at = mask.find(_LONG_RUN, after) if after >= 0 else -1
        if self.in_string:
            self.digits = 0
        else:
            trail = len(mask) - len(mask.rstrip(b"0"))
            self.digits = self.digits + trail if trail == len(mask) else trail


def _wrap(guard: Guard, exc: Exception) -> JsonRefused:
    first = exc.args[0] if exc.args else type(exc).__name__
    if isinstance(first, bytes):
        first = first.decode("utf-8", "replace")
    text = str(first).strip().splitlines()[0] if str(first).strip() else type(exc).__name__
    lowered = text.lower()
    if (
        (guard.ended and "trailing garbage" not in lowered)
        or "incomplete" in lowered
        or "premature" in lowered
    ):
        return JsonRefused(
            f"{guard.name} is cut short: its JSON ends before it is complete "
            f"(after {guard.offset:,} bytes).",
            hint="Download or export it again; nothing was kept.",
        )
    return guard.refuse(f"it is not valid JSON ({text[:200]})")


def items(
    opener: Callable[[], IO[bytes]],
    name: str,
    prefix: str,
    *,
    skip_to: bytes | None = None,
    warn: Callable[[str], None] | None = None,
) -> Iterator[Any]:
    """The values at `prefix` (e.g. `messages.item`), one at a time, through a `Guard`."""
    with opener() as handle:
        guard = Guard(handle, name, skip_to=skip_to, warn=warn)
        try:
            yield from ijson.items(guard, prefix, use_float=True)
        except JsonRefused:
            raise
        except (ijson.JSONError, ValueError, UnicodeError) as exc:
            raise _wrap(guard, exc) from exc


@dataclass
class Group:
    """One object that holds a message list: its small fields and how many messages it has.

    `fields` maps a path relative to the object (`title`, `participants.item.name`) to the
    scalar values found there, in order (at most FIELD_VALUES each). `first`/`last` are the
    `time_key` values of the first and last message, to tell the list's order.
    """

    fields: dict[str, list[Any]] = field(default_factory=dict)
    count: int = 0
    first: Any = None
    last: Any = None

    def one(self, key: str) -> Any:
        values = self.fields.get(key)
        return values[0] if values else None

    def many(self, key: str) -> list[Any]:
        return list(self.fields.get(key) or [])


_SCALARS = {"string", "number", "boolean", "null"}


def outline(
    opener: Callable[[], IO[bytes]],
    name: str,
    list_prefix: str,
    *,
    time_key: str | tuple[str, ...] | None = None,
    skip_to: bytes | None = None,
    max_field_depth: int = 3,
) -> list[Group]:
    """The groups holding `list_prefix` (`messages`, `chats.list.item.messages`), in order;
    `time_key` (or several) names each message's time, relative to the message."""
    parent = list_prefix.rpartition(".")[0]
    parent_dot = f"{parent}." if parent else ""
    item_prefix = f"{list_prefix}.item"
    inside_list = f"{item_prefix}."
    keys = (time_key,) if isinstance(time_key, str) else time_key or ()
    time_prefixes = {f"{item_prefix}.{key}" for key in keys}
    groups: list[Group] = []
    current: Group | None = None
    with opener() as handle:
        guard = Guard(handle, name, skip_to=skip_to)
        try:
            for prefix, event, value in ijson.parse(guard, use_float=True):
                if prefix == item_prefix:
                    if current is not None and event in _SCALARS | {"start_map", "start_array"}:
                        current.count += 1
                elif prefix in time_prefixes and current is not None:
                    if current.first is None:
                        current.first = value
                    current.last = value
                elif prefix.startswith(inside_list):
                    continue
                elif prefix == parent and event == "start_map":
                    current = Group()
                    groups.append(current)
                elif current is not None and event in _SCALARS and prefix.startswith(parent_dot):
                    key = prefix[len(parent_dot) :]
                    if key.count(".") < max_field_depth and not key.startswith(list_prefix):
                        values = current.fields.setdefault(key, [])
                        if len(values) < FIELD_VALUES:
                            values.append(value)
        except JsonRefused:
            raise
        except (ijson.JSONError, ValueError, UnicodeError) as exc:
            raise _wrap(guard, exc) from exc
    return groups
