"""The fast line of a stored message is byte for byte `json_line(record_from_row(row))`,
and what is hashed while storing is what `check` and a recipient read back."""

from __future__ import annotations

import hashlib
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_kit.model import ItemKind
from evidence_kit.vault import Vault
from evidence_kit.vault.check import check_vault
from evidence_kit.vault.message_codec import json_line as message_line
from evidence_kit.vault.message_codec import record_from_row as message_record
from evidence_kit.vault.message_codec import row_line, stored_row

text = st.one_of(
    st.none(), st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
flag = st.sampled_from([0, 1])
rows = st.tuples(
    st.integers(min_value=0, max_value=10**9), text, text, text, flag, text, text, text,
    st.text(max_size=60), st.text(max_size=60), flag, flag,
    st.one_of(st.just("[]"), st.lists(st.dictionaries(st.text(max_size=6), json_value, max_size=3), max_size=2).map(lambda v: json.dumps(v, ensure_ascii=False))),
    st.one_of(st.just("{}"), st.dictionaries(st.text(max_size=6), json_value, max_size=3).map(lambda v: json.dumps(v))),
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(rows)
def test_the_fast_line_is_the_canonical_line(row: tuple) -> None:  # type: ignore[type-arg]
    assert row_line(row) == message_line(message_record(row))


@settings(max_examples=50, deadline=None)
@given(st.tuples(st.integers(0, 99), st.integers(), st.booleans(), st.floats(allow_nan=False)))
def test_values_of_other_types_are_stored_as_they_read_back(values: tuple) -> None:  # type: ignore[type-arg]
    index, number, truth, real = values
    row = (
        index,
        number,
        "Kim",
        real,
        truth,
        None,
        None,
        None,
        "hi",
        "hi",
        0,
        0,
        [{"name": "a.jpg"}],
        {},
    )
    assert row_line(row) is None  # not as the columns keep them
    fixed = stored_row(row)
    assert row_line(fixed) == message_line(message_record(fixed))


def test_odd_rows_hash_as_stored(vault: Vault) -> None:
    with vault.transaction() as writer:
        sha, size = writer.put([b"export"])
        chat = writer.add_item(ItemKind.IMPORT, sha256=sha, size=size)
        writer.add_message_rows(chat.id, [
            (0, 12345, "Kim", 678, True, None, None, None, "a\u2028b\x00c", "raw", 0, 0, "[]", "{}"),
            (1, "chat", "Me", None, 0, "2026-03-12T21:04:00+01:00", "2026-03-12T20:04:00Z", None, 'say "no"\n', "x", 1, 0,
             '[{"name": "IMG-01.jpg", "omitted": true}]', '{"reactions": ["😡"]}'),
        ])  # fmt: skip
        writer.record_import(chat.id, "test", None, {})
    event = next(e for e in vault.custody_events() if e.action == "import parsed")
    lines = b"".join(message_line(m) for m in vault.messages(chat.id))
    assert event.details["messages_sha256"] == hashlib.sha256(lines).hexdigest()
    assert next(vault.messages(chat.id))["conversation"] == "12345"
    assert check_vault(vault).ok
