"""RFC 3161 time-stamp tokens: the request we send, and the check of a reply, vault-free.

The vault (`evidence_kit.timestamp`) and the verifier both check tokens here. The ASN.1 and the
signature are rfc3161-client's (imported only when a token is made or checked, so a verifier
that meets no token loads nothing more than the format layer). That library reads strict DER:
a reply whose certificate set is not in DER order — as `openssl ts -reply -chain` writes it —
fails to parse. The certificate set is not signed, so the fallback puts it in DER order
(asn1crypto, which reads BER) and checks the same token again; `verified_with` says which way.

What a good token is (`check_reply`): the authority granted it; its imprint is the SHA-256 of
the data; the nonce is the request's (when known); its signature is good and its signer's
certificate (with the time-stamping purpose) chains to one of the trusted roots, valid at the
time the token gives. How far that time is from the local clock is judged by `drift_note`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

SHA256_OID = "2.16.840.1.101.3.4.2.1"
LIBRARY = "rfc3161-client"
SORTED = "rfc3161-client, after putting the certificate set in DER order (asn1crypto)"
DRIFT_LIMIT = 5 * 60  # seconds between the token's time and the local clock, said plainly past it
SANE_LIMIT = 24 * 3600  # past it, a token is refused: one of the two clocks is badly wrong


@dataclass(frozen=True)
class Request:
    der: bytes
    nonce: int
    sha256: str  # of the data it asks to be stamped


def make_request(data: bytes) -> Request:
    """A request over SHA-256(data), with a random nonce, asking for the signer's certificate."""
    import rfc3161_client as tsp

    built = tsp.TimestampRequestBuilder(
        data=data, hash_algorithm=tsp.HashAlgorithm.SHA256, nonce=True, cert_req=True
    ).build()
    nonce = built.nonce
    assert nonce is not None
    return Request(built.as_bytes(), int(nonce), hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class TokenCheck:
    ok: bool
    problem: str | None = None
    gen_time: datetime | None = None
    signer: str | None = None  # the authority's certificate subject (RFC 4514)
    root: bytes | None = None  # DER of the trusted root the signer chained to
    verified_with: str | None = None
    certificates: tuple[bytes, ...] = ()  # DER, as the token carries them
    nonce: int | None = None

    @property
    def signer_name(self) -> str:
        return common_name(self.signer) if self.signer else "an unknown authority"


def common_name(subject: str) -> str:
    for part in subject.split(","):
        if part.strip().upper().startswith("CN="):
            return part.strip()[3:]
    return subject


def _sorted_certificates(reply: bytes) -> bytes | None:
    """The same reply with its certificate set in DER order (None when it has no such set)."""
    from asn1crypto import cms, tsp

    parsed = tsp.TimeStampResp.load(reply)
    signed = parsed["time_stamp_token"]["content"]
    certs = [choice.dump() for choice in signed["certificates"]]
    if not certs:
        return None
    width = max(len(der) for der in certs)
    ordered = sorted(certs, key=lambda der: der.ljust(width, b"\0"))
    signed["certificates"] = cms.CertificateSet(
        [cms.CertificateChoices.load(der) for der in ordered]
    )
    return bytes(parsed.dump())


def parse_reply(reply: bytes) -> tuple[Any, str] | str:
    """(the parsed reply, how it was read) — or why it cannot be read."""
    import rfc3161_client as tsp

    try:
        return tsp.decode_timestamp_response(reply), LIBRARY
    except ValueError as first:
        try:
            normal = _sorted_certificates(reply)
        except Exception:  # asn1crypto raises many kinds on hostile input
            normal = None
        if normal is not None and normal != reply:
            try:
                return tsp.decode_timestamp_response(normal), SORTED
            except ValueError:
                pass
        return f"it is not a time-stamp reply that can be read ({_short(first)})"


def _short(exc: BaseException) -> str:
    text = str(exc)
    for marker in ("Verify error: ", 'reason: "'):
        if marker in text:
            text = text.split(marker, 1)[1].split('"', 1)[0]
    return text[:200]


def check_reply(
    reply: bytes, data: bytes, roots: Sequence[bytes], nonce: int | None = None
) -> TokenCheck:
    """Is `reply` a good token over `data`, from an authority that chains to one of `roots`
    (DER certificates)? Never raises for a bad reply: the problem is said in plain words."""
    import rfc3161_client as tsp
    from cryptography import x509

    parsed = parse_reply(reply)
    if isinstance(parsed, str):
        return TokenCheck(False, parsed)
    response, how = parsed
    if response.status not in (tsp.PKIStatus.GRANTED, tsp.PKIStatus.GRANTED_WITH_MODS):
        told = "; ".join(response.status_string) or f"status {response.status}"
        return TokenCheck(False, f"the authority refused to stamp it ({told[:200]})")
    info = response.tst_info
    certificates = tuple(sorted(response.signed_data.certificates))
    facts: dict[str, Any] = {
        "gen_time": info.gen_time,
        "verified_with": how,
        "certificates": certificates,
        "nonce": info.nonce,
    }
    signer = _signer(response, certificates)
    facts["signer"] = signer.subject.rfc4514_string() if signer is not None else None
    imprint = info.message_imprint
    if imprint.hash_algorithm.dotted_string != SHA256_OID:
        return TokenCheck(False, "the token is not over a SHA-256 hash", **facts)
    if imprint.message != hashlib.sha256(data).digest():
        return TokenCheck(
            False, "the token is for other data: its hash is not the one that was asked for",
            **facts,
        )  # fmt: skip
    if nonce is not None and info.nonce != nonce:
        return TokenCheck(
            False, "the token's nonce is not the request's (a reply to another request)", **facts
        )
    if not roots:
        return TokenCheck(False, "there is no trusted authority certificate to check it with",
                          **facts)  # fmt: skip
    last = ""
    for der in roots:
        root = x509.load_der_x509_certificate(der)
        verifier = tsp.VerifierBuilder(roots=[root]).build()
        try:
            verifier.verify(response, imprint.message)
        except tsp.VerificationError as exc:
            last = _short(exc)
            continue
        return TokenCheck(True, None, root=der, **facts)
    return TokenCheck(False, _chain_problem(last), **facts)


def _signer(response: Any, certificates: Sequence[bytes]) -> Any:
    from cryptography import x509

    infos = list(response.signed_data.signer_infos)
    for der in certificates:
        cert = x509.load_der_x509_certificate(der)
        if any(cert.issuer == si.issuer and cert.serial_number == si.serial_number for si in infos):
            return cert
    return None


def _chain_problem(error: str) -> str:
    lowered = error.lower()
    if "expired" in lowered or "not yet valid" in lowered:
        return (
            "the authority's certificate was not valid at the time the token gives (expired or "
            f"not yet valid): {error}"
        )
    if "issuer" in lowered or "self-signed" in lowered or "untrusted" in lowered:
        return (
            "the authority's certificate does not chain to an authority certificate Evidence Kit "
            f"trusts: {error}"
        )
    return f"the token's signature or its certificate does not check out: {error}"


def drift_note(gen_time: datetime, asked_at: datetime) -> str | None:
    """A plain sentence when the authority's time and the local clock at the moment of the
    request are further apart than `DRIFT_LIMIT` (tokens come late by design: the request, not
    the capture, is what the authority's time is compared with)."""
    seconds = (gen_time - asked_at).total_seconds()
    if abs(seconds) <= DRIFT_LIMIT:
        return None
    minutes = round(abs(seconds) / 60)
    way = "behind" if seconds > 0 else "ahead"
    return (
        f"your computer's clock was {minutes} minutes off ({way} of the time-stamping "
        "authority's): times this computer recorded may be wrong by about as much"
    )


def drift_problem(gen_time: datetime, asked_at: datetime) -> str | None:
    """Why a token is refused for its time: more than a day from the local clock at the request."""
    seconds = (gen_time - asked_at).total_seconds()
    if abs(seconds) <= SANE_LIMIT:
        return None
    hours = round(abs(seconds) / 3600)
    return (
        f"the authority's time is {hours} hours from your computer's clock when it asked: one of "
        "the two is badly wrong (check the computer's date and time)"
    )


def certificates_pem(certificates: Sequence[bytes]) -> str:
    """DER certificates as one PEM text (for `tsa-chain.pem`)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return "".join(
        x509.load_der_x509_certificate(der).public_bytes(Encoding.PEM).decode("ascii")
        for der in certificates
    )


def pem_certificates(text: bytes) -> list[bytes]:
    """The DER of every certificate in a PEM text; `ValueError` if there is none or one is bad."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return [cert.public_bytes(Encoding.DER) for cert in x509.load_pem_x509_certificates(text)]


def is_self_signed(der: bytes) -> bool:
    from cryptography import x509

    cert = x509.load_der_x509_certificate(der)
    return cert.issuer == cert.subject


def subject(der: bytes) -> str:
    from cryptography import x509

    return str(x509.load_der_x509_certificate(der).subject.rfc4514_string())


def hash_list(entries: Sequence[tuple[str, str]]) -> bytes:
    """The file one token covers: "<lowercase sha256>  <what it names>" a line, LF, UTF-8. The
    last line is the custody chain's head, so the token witnesses the whole history to there."""
    return "".join(f"{digest}  {name}\n" for digest, name in entries).encode("utf-8")


def parse_hash_list(data: bytes) -> list[tuple[str, str]] | None:
    """The lines of a hash list, or None if it is not one."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.endswith("\n"):
        return None
    found = []
    for line in text[:-1].split("\n"):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            return None
        found.append((digest, name))
    return found
