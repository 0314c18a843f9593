"""The one strength judgement: zxcvbn's estimate of the guesses needed, not the length."""

from __future__ import annotations

import pytest

from evidence_kit.errors import WeakPassphrase
from evidence_kit.vault.strength import check_passphrase_strength, judge, suggest_passphrase


@pytest.mark.parametrize(
    "weak",
    [
        "password",
        "password1!",
        "Passw0rd!",
        "qwertyuiop",
        "iloveyou2024",
        "aaaaaaaaaaaaaaaa",
        "1234567890",
    ],
)
def test_long_enough_but_guessable_is_refused(weak: str) -> None:
    strength = judge(weak)
    assert not strength.acceptable and strength.reason
    with pytest.raises(WeakPassphrase) as caught:
        check_passphrase_strength(weak)
    assert caught.value.message.startswith("That passphrase would be too easy to guess: ")
    assert "four or more random words" in (caught.value.hint or "")


def test_the_reason_is_plain() -> None:
    assert judge("password").reason == "This is a top-10 common password"


@pytest.mark.parametrize(
    "strong", ["correct horse battery staple", "tattle overlook raft custard", "Xk9#qL2!vB7$"]
)
def test_strong_is_accepted(strong: str) -> None:
    assert judge(strong).acceptable
    check_passphrase_strength(strong)


def test_the_owners_name_counts_as_a_known_word() -> None:
    assert judge("ana ruiz 1987").acceptable
    assert not judge("ana ruiz 1987", ["Ana Ruiz"]).acceptable


def test_a_very_long_passphrase_is_judged_by_its_first_72_characters() -> None:
    assert judge("tattle overlook raft custard " * 10).acceptable
    assert not judge("a" * 500).acceptable


def test_suggestions_are_four_random_words_that_pass() -> None:
    seen = {suggest_passphrase() for _ in range(20)}
    assert len(seen) == 20
    for phrase in seen:
        words = phrase.split()
        assert len(words) == 4 and all(w.isalpha() and w.islower() for w in words)
        assert judge(phrase).acceptable


def test_empty_is_not_acceptable() -> None:
    assert not judge("").acceptable and judge("").percent == 20
