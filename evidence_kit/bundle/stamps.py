"""The time-stamps a bundle carries: for each exhibit the earliest good token whose hash list
names its file (`items/NNNN/<file>.tsr` with `<file>.tsr.list`, in the payload), a token over
the tag manifest asked for while the bundle is sealed (`seal/tagmanifest-sha256.txt.tsr`), and
the authorities' certificates (`seal/tsa-chain.pem`: every certificate the tokens carry, and the
root each chained to). Item tokens that arrive after an export go into the next one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from evidence_kit.bundle.exhibits import Exhibit
from evidence_kit.bundle.format import tsp
from evidence_kit.errors import TimestampError
from evidence_kit.timestamp.authorities import authority_urls, trusted_roots
from evidence_kit.timestamp.flush import ask_for, keep
from evidence_kit.vault import Vault, Writer

SEAL_TIMEOUT = 5.0  # seconds the export waits for the seal's token, both authorities at once
TOKEN_SUFFIX = ".tsr"
LIST_SUFFIX = ".tsr.list"


@dataclass(frozen=True)
class Token:
    reply: bytes
    data: bytes  # what it stamped: the hash list, or the tag manifest
    signer: str
    gen_time: str
    certificates: tuple[bytes, ...]  # the token's own and the root it chained to


def _token(vault: Vault, where: str, args: tuple[object, ...]) -> Token | None:
    row = vault.conn.execute(
        "SELECT t.reply, t.data, t.signer, t.gen_time, r.der FROM timestamp_tokens t "
        "LEFT JOIN timestamp_roots r ON r.sha256 = t.root_sha256 "
        f"WHERE t.status = 'stamped' AND {where} ORDER BY t.gen_time LIMIT 1",
        args,
    ).fetchone()
    if row is None:
        return None
    reply = bytes(row[0])
    found = tsp.parse_reply(reply)
    certs: tuple[bytes, ...] = (
        () if isinstance(found, str) else tuple(found[0].signed_data.certificates)
    )
    if row[4] is not None:
        certs += (bytes(row[4]),)
    return Token(
        reply, str(row[1]).encode("utf-8"), tsp.common_name(row[2] or "?"), str(row[3]), certs
    )


def item_tokens(vault: Vault, plan: Sequence[Exhibit]) -> dict[int, Token]:
    """The earliest good token for each exhibit's file, by item id."""
    if vault.schema_version < 4:
        return {}
    found = {}
    for exhibit in plan:
        item = exhibit.item
        if exhibit.file and item.sha256:
            line = f"{item.sha256}  item:{item.id}\n"
            token = _token(vault, "t.kind = 'list' AND instr(t.data, ?) > 0", (line,))
            if token is not None:
                found[item.id] = token
    return found


def seal_token(vault: Vault, writer: Writer, tagmanifest: bytes) -> tuple[Token | None, str]:
    """Ask for a token over the tag manifest (briefly); keep every reply. (token, what happened)."""
    urls = authority_urls(vault)
    if not urls:
        return None, "time-stamps are off in this vault"
    try:
        outcomes = ask_for(vault, tagmanifest, urls, SEAL_TIMEOUT, lambda: False)
        roots = trusted_roots(vault)
    except TimestampError as exc:  # e.g. EVIDENCE_KIT_TSA_CA unreadable: the export goes on
        return None, exc.message
    for outcome in outcomes:
        keep(writer, outcome, "seal", tagmanifest, [], roots)
    for outcome in outcomes:
        checked = outcome.check
        if checked is not None and checked.ok and outcome.answer.reply is not None:
            certs = checked.certificates + ((checked.root,) if checked.root else ())
            when = _short_time(str(checked.gen_time))
            return Token(outcome.answer.reply, tagmanifest, checked.signer_name, when, certs), ""
    problems = [p for o in outcomes if (p := o.problem()) is not None]
    return None, "; ".join(problems) or "no authority answered"


def chain_pem(tokens: Sequence[Token]) -> bytes:
    unique: list[bytes] = []
    for token in tokens:
        for der in token.certificates:
            if der not in unique:
                unique.append(der)
    return tsp.certificates_pem(unique).encode("ascii")


def _short_time(text: str) -> str:
    """`2026-12-02T00:37:13Z`, from the vault's or the library's form of a UTC time."""
    return text.replace(" ", "T").replace("+00:00", "Z").split(".")[0].rstrip("Z") + "Z"


def unwitnessed(plan: Sequence[Exhibit], tokens: dict[int, Token]) -> list[str]:
    """The labels of the exhibits (with a file) that carry no time-stamp token."""
    return [e.label for e in plan if e.file and e.item.id not in tokens]


def note(plan: Sequence[Exhibit], tokens: dict[int, Token]) -> str:
    """What the bundle's cover and VERIFY.txt say about independently witnessed times."""
    files = [e for e in plan if e.file]
    witnessed = [e for e in files if e.item.id in tokens]
    if not witnessed:
        return (
            "none of the exhibits carries one yet: the times shown are those recorded by the "
            "sender's computer. A token over this bundle's seal is in seal/ if an authority "
            "could be reached when it was sealed."
        )
    groups: dict[tuple[str, str], list[str]] = {}
    for e in witnessed:
        token = tokens[e.item.id]
        groups.setdefault((token.signer, _short_time(token.gen_time)), []).append(e.label)
    said = "; ".join(
        f"{', '.join(labels)} by {signer} at {at}" for (signer, at), labels in groups.items()
    )
    rest = [e.label for e in files if e.item.id not in tokens]
    tail = (
        f" Not witnessed: {', '.join(rest)} (their times are those of the sender's computer)."
        if rest
        else ""
    )
    return (
        f"independently witnessed for {len(witnessed)} of {len(files)} exhibits — each file's "
        f"hash was time-stamped by an outside authority no later than: {said}.{tail} Each token "
        "is beside its file (.tsr, with the hash list it covers, .tsr.list). A token over this "
        "bundle's seal is in seal/ if an authority could be reached when it was sealed."
    )


__all__ = ["Token", "chain_pem", "item_tokens", "note", "seal_token"]
