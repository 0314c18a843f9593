"""The checks of the time-stamps a bundle carries (RFC 3161), present only when it has some.

Each exhibit's token (`items/NNNN/<file>.tsr`) covers the hash list beside it (`<file>.tsr.list`):
the token must be a good one over that list, the file's SHA-256 (as the manifest has it) must be
in the list, and the list's last line — the sender's custody head when it was stamped — must be
an event of this bundle's custody log. The seal's token covers the tag manifest. Both are
checked against the roots in `seal/tsa-chain.pem`: who that authority is, the report names, and
the recipient judges (as with the seal key). The token library is loaded only here, only then.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

from evidence_kit.bundle.format import layout, tsp
from evidence_kit.bundle.format.checks import Check, check
from evidence_kit.bundle.verify.facts import Facts

TOKEN = ".tsr"
LIST = ".tsr.list"


def _roots(facts: Facts) -> tuple[list[bytes], list[str]]:
    pem = facts.member(f"{layout.SEAL}/{layout.TSA_CHAIN}")
    if pem is None:
        return [], [f"{layout.SEAL}/{layout.TSA_CHAIN} is missing: the tokens cannot be checked"]
    try:
        certs = tsp.pem_certificates(pem)
    except ValueError:
        return [], [f"{layout.SEAL}/{layout.TSA_CHAIN} holds no certificate that can be read"]
    return [der for der in certs if tsp.is_self_signed(der)], []


def _record(facts: Facts, folder: str) -> dict[str, object]:
    raw = facts.member(f"bag/{layout.DATA}/{folder}/{layout.ITEM_JSON}")
    try:
        record = json.loads(raw or b"{}")
    except ValueError:
        record = {}
    return record if isinstance(record, dict) else {}


def _label(facts: Facts, folder: str) -> str:
    label = _record(facts, folder).get("exhibit")
    return str(label) if isinstance(label, str) else folder


def _tokens(facts: Facts, folders: list[str]) -> list[str]:
    """Each exhibit's token, `data/items/NNNN/<its file>.tsr` (a file of the exhibit's own that
    happens to end in .tsr is evidence like any other, not a token)."""
    found = []
    for folder in folders:
        file = _record(facts, folder).get("file")
        name = f"{layout.DATA}/{folder}/{file}{TOKEN}"
        if isinstance(file, str) and name in facts.payload:
            found.append(name)
    return found


def _roots_named(roots: list[bytes]) -> str:
    return ", ".join(
        f"{tsp.common_name(tsp.subject(der))} (SHA-256 {hashlib.sha256(der).hexdigest()[:16]}…)"
        for der in roots
    )


def item_tokens(facts: Facts) -> Iterator[Check]:
    folders = sorted({"/".join(p.split("/")[1:3]) for p in facts.payload
                      if p.startswith(f"{layout.DATA}/items/") and p.count("/") >= 3})  # fmt: skip
    tokens = _tokens(facts, folders)
    seal = f"{layout.SEAL}/{layout.SEAL_TOKEN}"
    if not tokens and seal not in facts.source.names:
        return
    roots, problems = _roots(facts)
    heads = {f"custody:{e.get('seq')}": e.get("hash") for e in facts.events}
    stamped: dict[str, str] = {}
    for name in tokens:
        subject = name[: -len(TOKEN)]
        where = f"bag/{name}"
        reply, listed = facts.member(f"bag/{name}"), facts.member(f"bag/{subject}{LIST}")
        digest = facts.entries().get(subject)
        if reply is None or listed is None or digest is None:
            problems.append(f"{where}: its file or its hash list ({subject}{LIST}) is missing")
            continue
        lines = tsp.parse_hash_list(listed)
        if not lines:
            problems.append(f"bag/{subject}{LIST} is not a hash list")
            continue
        if not any(line_digest == digest for line_digest, _ in lines[:-1]):
            problems.append(f"{where} does not cover {subject}: its hash is not in the list")
            continue
        head_hash, head_name = lines[-1]
        if heads.get(head_name) != head_hash:
            problems.append(
                f"{where}: the custody head it witnessed ({head_name}) is not in this bundle's log"
            )
            continue
        found = tsp.check_reply(reply, listed, roots)
        if not found.ok:
            problems.append(f"{where}: {found.problem}")
            continue
        folder = subject.split("/")[1] + "/" + subject.split("/")[2]
        stamped[folder] = (
            f"{_label(facts, folder)} time-stamped by {found.signer_name} at "
            f"{found.gen_time:%Y-%m-%dT%H:%M:%SZ}"
        )
    said = [stamped.get(f) or f"{_label(facts, f)} not time-stamped" for f in folders]
    detail = "; ".join(said)
    if roots:
        detail += f" (authority roots in seal/{layout.TSA_CHAIN}: {_roots_named(roots)})"
    yield check("timestamps", "time-stamp tokens", problems, detail)


def seal_token(facts: Facts) -> Iterator[Check]:
    name = f"{layout.SEAL}/{layout.SEAL_TOKEN}"
    if name not in facts.source.names:
        return
    roots, problems = _roots(facts)
    reply = facts.member(name)
    tagmanifest = facts.tagmanifests.get("sha256")
    good = ""
    if reply is None or tagmanifest is None:
        problems.append("the token or the tag manifest cannot be read")
    elif not problems:
        found = tsp.check_reply(reply, tagmanifest, roots)
        if found.ok:
            good = (
                f"the seal was time-stamped by {found.signer_name} at "
                f"{found.gen_time:%Y-%m-%dT%H:%M:%SZ} (the bundle existed, sealed, by then)"
            )
        else:
            problems.append(f"{name}: {found.problem}")
    yield check("seal-timestamp", "time-stamp over the seal", problems, good)
