"""A small writer of Outlook .msg test files: an MS-CFB v3 compound file with MAPI streams.

No PyPI package writes .msg files (extract-msg and olefile only read), so tests build their
own from the published layout ([MS-CFB], [MS-OXMSG]): 512-byte sectors, streams under 4096
bytes in the mini stream, a sorted directory tree, and the property streams Outlook writes.
"""

from __future__ import annotations

import struct
from datetime import UTC, datetime

FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF


class _Node:
    def __init__(self, name: str, data: bytes | None) -> None:
        self.name, self.data = name, data  # data None: a storage
        self.children: dict[str, _Node] = {}
        self.sid = 0
        self.start, self.size = END, 0


def _key(name: str) -> tuple[int, str]:
    return (len(name), name.upper())


def compound_file(streams: dict[str, bytes]) -> bytes:
    """`streams` maps "storage/…/stream" paths to bytes; storages are made as needed."""
    root = _Node("Root Entry", None)
    for path, data in streams.items():
        node = root
        *storages, leaf = path.split("/")
        for part in storages:
            node = node.children.setdefault(part, _Node(part, None))
        node.children[leaf] = _Node(leaf, data)
    nodes: list[_Node] = []

    def number(node: _Node) -> None:
        node.sid = len(nodes)
        nodes.append(node)
        for child in node.children.values():
            number(child)

    number(root)
    mini = bytearray()
    big: list[_Node] = []
    for node in nodes:
        if node.data is None:
            continue
        node.size = len(node.data)
        if node.size < 4096:
            node.start = len(mini) // 64 if node.size else END
            mini += node.data + b"\0" * (-len(node.data) % 64)
        else:
            big.append(node)
    minifat = [END] * (len(mini) // 64)
    for node in nodes:
        if node.data is not None and 0 < node.size < 4096:
            count = -(-node.size // 64)
            for i in range(count - 1):
                minifat[node.start + i] = node.start + i + 1
    sectors = lambda n: -(-n // 512)  # noqa: E731
    dir_count = sectors(len(nodes) * 128)
    minifat_count = sectors(len(minifat) * 4)
    mini_count = sectors(len(mini))
    big_counts = [sectors(n.size) for n in big]
    body = dir_count + minifat_count + mini_count + sum(big_counts)
    fat_count = 1
    while fat_count * 128 < body + fat_count:
        fat_count += 1
    fat = [FATSECT] * fat_count
    chains: list[int] = []

    def chain(count: int) -> int:
        if count == 0:
            return END
        first = len(fat)
        fat.extend([*list(range(first + 1, first + count)), END])
        chains.append(first)
        return first

    dir_start = chain(dir_count)
    minifat_start = chain(minifat_count)
    root.start, root.size = chain(mini_count), len(mini)
    for node, count in zip(big, big_counts, strict=True):
        node.start = chain(count)
    fat += [FREE] * (-len(fat) % 128)
    directory = b"".join(_entry(node, _tree(node)) for node in nodes)
    directory += b"".join(_empty() for _ in range(dir_count * 4 - len(nodes)))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII", bytes.fromhex("D0CF11E0A1B11AE1"), b"\0" * 16, 0x3E, 3,
        0xFFFE, 9, 6, b"\0" * 6, 0, fat_count, dir_start, 0, 4096,
        minifat_start if minifat_count else END, minifat_count, END, 0,
    )  # fmt: skip
    difat = list(range(fat_count)) + [FREE] * (109 - fat_count)
    header += struct.pack("<109I", *difat)
    out = bytearray(header)
    out += struct.pack(f"<{len(fat)}I", *fat)
    out += directory
    out += struct.pack(f"<{len(minifat)}I", *minifat) + b"\xff" * (-(len(minifat) * 4) % 512)
    out += mini + b"\0" * (-len(mini) % 512)
    for node in big:
        assert node.data is not None
        out += node.data + b"\0" * (-len(node.data) % 512)
    return bytes(out)


def _tree(node: _Node) -> int:
    """Link the children of a storage as a balanced binary tree in CFB order; return its root."""
    children = sorted(node.children.values(), key=lambda n: _key(n.name))

    def build(items: list[_Node]) -> int:
        if not items:
            return NOSTREAM
        middle = len(items) // 2
        items[middle].left = build(items[:middle])  # type: ignore[attr-defined]
        items[middle].right = build(items[middle + 1 :])  # type: ignore[attr-defined]
        return items[middle].sid

    return build(children)


def _entry(node: _Node, child: int) -> bytes:
    name = node.name.encode("utf-16-le") + b"\0\0"
    kind = 5 if node.name == "Root Entry" else (1 if node.data is None else 2)
    left = getattr(node, "left", NOSTREAM)
    right = getattr(node, "right", NOSTREAM)
    start = node.start if (node.data is not None or kind == 5) else 0
    return struct.pack(
        "<64sHBBIII16sIQQIQ", name, len(name), kind, 1, left, right, child, b"\0" * 16, 0, 0, 0,
        start if start != END or node.size else END, node.size,
    )  # fmt: skip


def _empty() -> bytes:
    return struct.pack(
        "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"", 0, 0, 0, 0, 0
    )


def _s(text: str) -> bytes:
    return text.encode("utf-16-le")


def _filetime(moment: datetime) -> int:
    return int((moment - datetime(1601, 1, 1, tzinfo=UTC)).total_seconds() * 10_000_000)


def _prop(tag: int, value: int | bytes) -> bytes:
    raw = struct.pack("<Q", value) if isinstance(value, int) else value.ljust(8, b"\0")
    return struct.pack("<II", tag, 6) + raw


def outlook_message(
    *,
    subject: str,
    sender_name: str,
    sender_address: str,
    body: str,
    to: list[tuple[str, str]],
    sent: datetime | None,
    headers: str | None = None,
    attachments: list[tuple[str, bytes, str]] = (),  # type: ignore[assignment]
) -> bytes:
    """A .msg as Outlook saves a received (or, with `sent` None, an unsent) e-mail."""
    strings = {
        "001A": "IPM.Note", "0037": subject, "0E1D": subject, "0C1A": sender_name,
        "0C1F": sender_address, "5D01": sender_address, "0042": sender_name, "1000": body,
        "0E04": "; ".join(name for name, _ in to),
    }  # fmt: skip
    streams = {f"__substg1.0_{tag}001F": _s(value) for tag, value in strings.items()}
    if headers is not None:
        streams["__substg1.0_007D001F"] = _s(headers)
    props = b"\0" * 8 + struct.pack("<IIII", len(to), len(attachments), len(to), len(attachments))
    props += b"\0" * 8 + _prop(0x3FFD0003, 65001)
    if sent is not None:
        props += _prop(0x00390040, _filetime(sent)) + _prop(0x0E060040, _filetime(sent))
    streams["__properties_version1.0"] = props
    for tag in ("00020102", "00030102", "00040102"):
        streams[f"__nameid_version1.0/__substg1.0_{tag}"] = b""
    for number, (name, address) in enumerate(to):
        base = f"__recip_version1.0_#{number:08X}"
        streams[f"{base}/__substg1.0_3001001F"] = _s(name)
        streams[f"{base}/__substg1.0_3003001F"] = _s(address)
        streams[f"{base}/__substg1.0_39FE001F"] = _s(address)
        streams[f"{base}/__properties_version1.0"] = b"\0" * 8 + _prop(0x0C150003, 1)
    for number, (name, data, mime) in enumerate(attachments):
        base = f"__attach_version1.0_#{number:08X}"
        streams[f"{base}/__substg1.0_3707001F"] = _s(name)
        streams[f"{base}/__substg1.0_3704001F"] = _s(name[:12])
        streams[f"{base}/__substg1.0_370E001F"] = _s(mime)
        streams[f"{base}/__substg1.0_37010102"] = data
        streams[f"{base}/__properties_version1.0"] = (
            b"\0" * 8 + _prop(0x37050003, 1) + _prop(0x0E210003, number)
            + struct.pack("<IIII", 0x37010102, 6, len(data), 0)
        )  # fmt: skip
    return compound_file(streams)
