"""Which time-stamping authorities are asked, and which authority certificates are trusted.

The list: `EVIDENCE_KIT_TSA_URLS` (comma-separated, or `none`) when set; else the last list
stored in the vault by `evidence-kit timestamp --set-authorities` (a custody event, so the
choice is on the record); else the two defaults. Trusted roots for a token on receipt: the
vault's own (`timestamp_roots`), the defaults' roots shipped in resources/tsa/roots.pem, and
the PEM file `EVIDENCE_KIT_TSA_CA` names. A root a good token chained to is kept in the vault,
so `check` re-checks every token with what the vault holds alone.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from evidence_kit.bundle.format import tsp
from evidence_kit.errors import Refused, TimestampError
from evidence_kit.paths import resource_path
from evidence_kit.vault import Vault

# Free, public, no account, HTTP (a token is its own proof, so TLS adds nothing to it), and
# in wide use for code signing. Their replies carry the signer's chain; its certificate set may
# not be in DER order, which the token check allows for (see bundle/format/tsp.py).
DEFAULT_AUTHORITIES = ("http://timestamp.digicert.com", "http://timestamp.sectigo.com")
URLS_ENV = "EVIDENCE_KIT_TSA_URLS"
CA_ENV = "EVIDENCE_KIT_TSA_CA"
SET_ACTION = "time-stamp authorities set"


def parse_urls(text: str) -> tuple[str, ...]:
    """`URL[,URL…]` or `none`; each an http(s) address. `Refused` with the bad one named."""
    if text.strip().lower() in ("none", "off", ""):
        return ()
    urls = tuple(part.strip() for part in text.split(",") if part.strip())
    for url in urls:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise Refused(
                f"{url!r} is not the address of a time-stamping authority.",
                hint="Give http:// or https:// addresses separated by commas, or `none`.",
            )
    return urls


def authority_urls(vault: Vault) -> tuple[str, ...]:
    if URLS_ENV in os.environ:
        return parse_urls(os.environ[URLS_ENV])
    row = vault.conn.execute(
        "SELECT details FROM custody WHERE action = ? ORDER BY seq DESC LIMIT 1", (SET_ACTION,)
    ).fetchone()
    if row is None:
        return DEFAULT_AUTHORITIES
    urls = json.loads(row[0]).get("urls", [])
    return tuple(str(url) for url in urls)


def set_authorities(vault: Vault, text: str) -> tuple[str, ...]:
    urls = parse_urls(text)
    with vault.transaction() as writer:
        writer.record(SET_ACTION, f"vault:{vault.vault_id}", {"urls": list(urls)})
    return urls


@dataclass(frozen=True)
class Root:
    der: bytes
    source: str  # "vault", "built-in" or CA_ENV


def vault_roots(vault: Vault) -> list[bytes]:
    return [bytes(r[0]) for r in vault.conn.execute("SELECT der FROM timestamp_roots ORDER BY id")]


def trusted_roots(vault: Vault) -> list[Root]:
    found = [Root(der, "vault") for der in vault_roots(vault)]
    found += [Root(der, "built-in") for der in _pem_file(resource_path("tsa", "roots.pem"))]
    extra = os.environ.get(CA_ENV)
    if extra:
        found += [Root(der, CA_ENV) for der in _pem_file(Path(extra))]
    unique: dict[bytes, Root] = {}
    for root in found:
        unique.setdefault(root.der, root)
    return list(unique.values())


def _pem_file(path: Path) -> list[bytes]:
    try:
        return tsp.pem_certificates(path.read_bytes())
    except OSError as exc:
        raise TimestampError(
            f"Cannot read the authority certificates in {path}: {exc.strerror}."
        ) from exc
    except ValueError as exc:
        raise TimestampError(
            f"{path} holds no certificate that can be read (a PEM file of CA certificates is "
            "expected)."
        ) from exc
