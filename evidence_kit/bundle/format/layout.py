"""Names inside a bundle: bundle ids, folders, ASCII payload names and exhibit labels."""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import datetime

FORMAT = "evidence-bundle-v1"
NAMESPACE = "evidence-bundle-v1"  # the SSH signature namespace
PRINCIPAL = "evidence-seal"  # the name in allowed_signers
EXPORT_ACTION = "bundle exported"

BAG = "bag"
SEAL = "seal"
RECEIVED = "received"  # seals of bundles a rep took in: received/<EVB-id>/…
DATA = "data"
VERIFY_TXT = "VERIFY.txt"
VERIFY_HTML = "evidence-kit-verify.html"  # the offline browser verifier (optional)
CUSTODY_LOG = "custody/continuity-log.jsonl"
CASE_WITHHELD = "case/withheld.json"  # what this audience did not get: label, SHA-256, why
CASE_COVERING_NOTE = "case/covering-note.txt"  # a rep's note to the recipient (optional, UTF-8)
# The case file (optional v1 files, in a bundle of a case; see casefile/model.py for fields):
CASE_INCIDENTS = "case/incidents.json"  # the case's incidents, latest versions, linked by label
CASE_PEOPLE = "case/people.json"  # only this case's people, with their identifiers
CASE_STATEMENT = "case/statement.txt"  # the person's latest statement, exactly as written
CASE_CHRONOLOGY = "case/chronology.jsonl"  # one entry a line, in time order
CASE_FILES = (CASE_INCIDENTS, CASE_PEOPLE, CASE_STATEMENT, CASE_CHRONOLOGY)
REPORT_HTML = "report/evidence-report.html"
REPORT_PDF = "report/evidence-report.pdf"
ITEM_JSON = "item.json"
MESSAGES = "messages.jsonl"

ALGORITHMS = ("sha256", "sha512")
TAG_FILES = ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt")
TAG_MANIFESTS = ("tagmanifest-sha256.txt", "tagmanifest-sha512.txt")
SIGNED_FILE = "tagmanifest-sha256.txt"
SSHSIG_FILE = "tagmanifest-sha256.txt.sshsig"
RAWSIG_FILE = "tagmanifest-sha256.txt.sig"
ALLOWED_SIGNERS = "allowed_signers"
PUBLIC_PEM = "signer-ed25519.pub.pem"
SEAL_TOKEN = "tagmanifest-sha256.txt.tsr"  # RFC 3161 token over the signed file (optional)
TSA_CHAIN = "tsa-chain.pem"
SEAL_FILES = frozenset(
    {SSHSIG_FILE, RAWSIG_FILE, ALLOWED_SIGNERS, PUBLIC_PEM, SEAL_TOKEN, TSA_CHAIN}
)
RECEIVED_FILES = frozenset({*TAG_FILES, *TAG_MANIFESTS, *SEAL_FILES})
TOP_FILES = frozenset({VERIFY_TXT, VERIFY_HTML})

# Payload names: ASCII [A-Za-z0-9._-] per part, short enough to extract anywhere, and no name
# Windows reserves. The original name of each file is in its item.json.
MAX_PART = 100
MAX_PATH = 180  # characters below the top folder: Windows paths stop at 260 in all
_PART = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$")
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?$", re.IGNORECASE)

AUDIENCES = ("manager", "police", "rep")
AUDIENCE_TITLES = {
    "manager": "Line manager / HR",
    "police": "Police",
    "rep": "Union representative or colleague",
}
AUDIENCE_RULES = {
    "manager": (
        "What the sender prepared for a manager: a redacted copy instead of its original, the "
        "crop of a region or window capture instead of the full screen, a chat's redacted "
        "messages instead of the export and its files. What was held back is listed by label and "
        "SHA-256 (never its content); it stays, unchanged, in the sender's vault. Withdrawn "
        "items are left out."
    ),
    "police": (
        "Every original exactly as it was captured or imported, always, plus any crops or "
        "redacted copies made from them. Withdrawn items are left out."
    ),
    "rep": (
        "Everything in the case: originals, crops, redacted copies, and withdrawn items "
        "(marked as withdrawn, with the reason)."
    ),
}

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
BUNDLE_ID = re.compile(r"^EVB-[0-9]{8}-[0-9A-F]{8}$")


def new_bundle_id(at: datetime) -> str:
    """`EVB-20260314-3F9A1C2B`: the sealing date and 32 random bits."""
    return f"EVB-{at.strftime('%Y%m%d')}-{secrets.token_hex(4).upper()}"


def item_folder(position: int) -> str:
    return f"items/{position:04d}"


def ascii_name(original: str | None, fallback: str, *, limit: int = 80) -> str:
    """An ASCII `[A-Za-z0-9._-]` file name for the payload; the original goes into item.json."""
    base = (original or "").replace("\\", "/").rsplit("/", 1)[-1]
    decomposed = unicodedata.normalize("NFKD", base)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = letters.encode("ascii", "ignore").decode("ascii")
    lost = len(text) < len(letters)  # letters of another script were dropped
    stem = fallback.rsplit(".", 1)[0]
    text = _SAFE.sub("_", text)
    if text.startswith(".") and len(text) > 1:  # only the extension was left: "微信.jpg"
        text = stem + text
    text = text.strip("._-")
    if not text or text in {ITEM_JSON, MESSAGES}:
        text = fallback
    elif _RESERVED.match(text):
        text = f"{stem}-{text}"  # "CON.txt" cannot be made on Windows
    elif lost and not text.startswith(stem):
        text = f"{stem}-{text}"  # "Скриншот 2.png" -> "screenshot-2.png", not "2.png"
    if len(text) > limit:
        stem, dot, ext = text.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            text = stem[: limit - len(ext) - 1] + "." + ext
        else:
            text = text[:limit]
    return text


def label_prefix(owner: str | None) -> str:
    """Exhibit labels take the owner's initials (`Priya Rao` -> `PR`), as exhibits usually do."""
    letters = [
        unicodedata.normalize("NFKD", word)[0].encode("ascii", "ignore").decode("ascii")
        for word in (owner or "").split()
        if word
    ]
    initials = "".join(ch.upper() for ch in letters if ch.isalpha())[:4]
    return initials or "EX"


def exhibit_label(prefix: str, number: int) -> str:
    return f"{prefix}/{number}"


def payload_name_problem(name: str) -> str | None:
    """Why a name below the top folder breaks the payload name rule, or None (`bag/data/…`)."""
    if len(name) > MAX_PATH:
        return f"is longer than {MAX_PATH} characters"
    for part in name.split("/"):
        if not _PART.match(part):
            return "is not plain ASCII letters, digits, '.', '_' and '-'"
        if len(part) > MAX_PART:
            return f"has a part longer than {MAX_PART} characters"
        if _RESERVED.match(part) or part.endswith("."):
            return "is a name Windows cannot create"
    return None


def place_problem(name: str) -> str | None:
    """Why a file (relative to the top folder) does not belong in a bundle, or None."""
    top, _, rest = name.partition("/")
    if not rest:
        return None if name in TOP_FILES else "does not belong in a bundle"
    if top == BAG:
        if "/" not in rest:
            return None if rest in (*TAG_FILES, *TAG_MANIFESTS) else "is not a tag file of this bag"
        if not rest.startswith(DATA + "/"):
            return "is not under bag/data/"
        return payload_name_problem(name)
    if top == SEAL:
        return None if rest in SEAL_FILES else "does not belong in seal/"
    if top == RECEIVED:
        bundle, _, file = rest.partition("/")
        if not BUNDLE_ID.match(bundle) or file not in RECEIVED_FILES:
            return "does not belong in received/ (received/<EVB-id>/<tag or seal file>)"
        return None
    return "does not belong in a bundle"
