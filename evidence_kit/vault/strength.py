"""How hard a passphrase is to guess: the one judgement the command line and the GUI's meter share.

zxcvbn estimates the number of guesses an attacker needs (dictionaries, names, keyboard walks,
dates, repeats, l33t) rather than counting characters: `password1!` is long enough and weak.
A passphrase is accepted at zxcvbn's score 3 ("safely unguessable: moderate protection from an
offline slow-hash attack"); our key slots use Argon2id, the slow hash that score assumes.
A refusal says why in plain words and suggests four random words from the EFF's long word list
(chosen to be easy to remember and free of offensive words).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from zxcvbn import zxcvbn

from evidence_kit.errors import WeakPassphrase

ACCEPTED_SCORE = 3
MAX_JUDGED = 72  # zxcvbn's own limit; anything past it can only add strength
SCORE_WORDS = (
    "Very weak: it would be guessed almost at once.",
    "Weak: it would be guessed quickly.",
    "Not strong enough yet: add another word or two.",
    "Strong.",
    "Very strong.",
)
SUGGESTION_WORDS = 4
_ZXCVBN = threading.Lock()  # zxcvbn keeps the user inputs in a module-level dictionary


@dataclass(frozen=True)
class Strength:
    """A judgement: `score` 0-4, whether it is `acceptable`, and plain words about it."""

    score: int
    acceptable: bool
    summary: str
    reason: str  # why it is weak ("" when acceptable or nothing specific is known)
    advice: tuple[str, ...]

    @property
    def percent(self) -> int:
        """For a meter: 0 (empty) to 100."""
        return (self.score + 1) * 20


def judge(passphrase: str, user_inputs: Iterable[str] = ()) -> Strength:
    """How hard `passphrase` is to guess; `user_inputs` (the owner's name…) count as known words,
    whole and word by word."""
    if not passphrase:
        return Strength(0, False, "Type a passphrase.", "it is empty", ())
    inputs = ["evidence", "kit", "vault"]
    for given in user_inputs:  # "Sam Doe": also "sam", "doe" and "samdoe"
        words = given.split()
        inputs.extend([given, *words, "".join(words)] if words else [])
    with _ZXCVBN:
        result = zxcvbn(passphrase[:MAX_JUDGED], user_inputs=inputs)
    score = int(result["score"])
    feedback = result.get("feedback") or {}
    reason = str(feedback.get("warning") or "")
    if not reason and score < ACCEPTED_SCORE:
        reason = "it is too short or too predictable"
    advice = tuple(str(s) for s in feedback.get("suggestions") or ())
    return Strength(
        score=score,
        acceptable=score >= ACCEPTED_SCORE,
        summary=SCORE_WORDS[score],
        reason=reason.rstrip(".") if score < ACCEPTED_SCORE else "",
        advice=advice if score < ACCEPTED_SCORE else (),
    )


def refusal(passphrase: str, user_inputs: Iterable[str] = ()) -> str | None:
    """Why `passphrase` would be refused, in plain words, or None when it is accepted (what to
    do instead: `advice`)."""
    strength = judge(passphrase, user_inputs)
    if strength.acceptable:
        return None
    reason = strength.reason[:1].lower() + strength.reason[1:]
    return f"That passphrase would be too easy to guess{': ' + reason if reason else ''}."


def advice(example: str) -> str:
    """What to do instead, with `example` (a suggestion, quoted as the caller shows it)."""
    return (
        f"Use four or more random words you will remember, for example: {example} (do not reuse "
        "a password from elsewhere)."
    )


def check_passphrase_strength(passphrase: str, user_inputs: Iterable[str] = ()) -> None:
    """Refuse a passphrase that would be easy to guess, saying why and suggesting a better one."""
    refused = refusal(passphrase, user_inputs)
    if refused is not None:
        raise WeakPassphrase(refused, hint=advice(repr(suggest_passphrase())))


@lru_cache(maxsize=1)
def _words() -> tuple[str, ...]:
    from xkcdpass import xkcd_password

    path = xkcd_password.locate_wordfile("eff-long")
    listed = xkcd_password.generate_wordlist(wordfile=path, min_length=4, max_length=8)
    # letters only: "t-shirt", "yo-yo" and "felt-tip" are easy to mistype as two words
    return tuple(word for word in listed if word.isalpha())


def suggest_passphrase(words: int = SUGGESTION_WORDS) -> str:
    """Random words from the EFF long list (about 12.6 bits each), checked with `judge`."""
    pool = _words()
    while True:
        candidate = " ".join(secrets.choice(pool) for _ in range(words))
        if judge(candidate).acceptable:
            return candidate
