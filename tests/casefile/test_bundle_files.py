"""A bundle of a case carries the case file — incidents, people, statement, chronology — in its
manifests, so `verify` covers them; and it names only what the bundle holds."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from evidence_kit.bundle.verify import verify_bundle
from tests.casefile.conftest import ENTRY_FIELDS, Case

CASE_FILES = ("incidents.json", "people.json", "statement.txt", "chronology.jsonl")


def _fill(case: Case, tmp_path: Path) -> str:
    case.json("person", "add", "Gareth Holloway", "--role", "reported person",
              "--id", "phone:07700 900123", "--id", "whatsapp:Gaz (work)")  # fmt: skip
    case.json("person", "add", "Nobody In This Case", "--id", "phone:+44 7700 900999")
    case.run("case", "add", "Home")
    other = tmp_path / "other.txt"
    other.write_text("a file of another case\n", encoding="utf-8")
    other_id = json.loads(case.run("add", str(other), "--case", "Home", "--json").output)[0]["id"]  # type: ignore[attr-defined]
    case.json(
        "incident", "add", "--case", "Work", "--when", "2026-11-20T21:14", "--tz", "Europe/London",
        "--title", "Final warning", "--person", "Gareth Holloway", "--witness", "Dee Okafor",
        "--items", f"{case.picture},{other_id}", "--messages", f"{case.chat}:1-3",
        "--offence", "OSA2023-s181",
    )  # fmt: skip
    written = "My statement.\r\nHe said “Final warning”.\n\n"
    path = tmp_path / "statement.txt"
    path.write_bytes(written.encode("utf-8"))
    assert case.run("statement", "--case", "Work", "--file", str(path)).exit_code == 0  # type: ignore[attr-defined]
    return written


def _export(case: Case, out: Path, audience: str) -> Path:
    made = case.json("export", "--case", "Work", "--audience", audience, "--out", str(out))
    return Path(made["zip"])  # type: ignore[index]


def _read(zip_path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(zip_path) as archive:
        return {i.filename.split("/", 1)[1]: archive.read(i) for i in archive.infolist()}


def test_the_bundle_carries_the_four_files_in_its_manifest(case: Case, tmp_path: Path) -> None:
    written = _fill(case, tmp_path)
    files = _read(_export(case, tmp_path / "out", "police"))
    manifest = files["bag/manifest-sha256.txt"].decode()
    for name in CASE_FILES:
        assert f"bag/data/case/{name}" in files
        assert f"data/case/{name}" in manifest
    assert files["bag/data/case/statement.txt"] == written.encode("utf-8")  # exactly as written
    [incident] = json.loads(files["bag/data/case/incidents.json"])
    assert set(incident) >= {"id", "version", "when", "until", "zone", "title", "what", "where",
                             "impact", "people", "witnesses", "offences", "references", "items",
                             "messages"}  # fmt: skip
    records = {json.loads(data)["uid"]: json.loads(data) for name, data in files.items()
               if name.endswith("/item.json")}  # fmt: skip
    uids = {n: case.json("show", str(n))["uid"] for n in (case.picture, case.chat, case.sms)}  # type: ignore[index]
    labels = {n: records[uid]["exhibit"] for n, uid in uids.items()}
    sha = {n: records[uid]["sha256"] for n, uid in uids.items()}
    assert incident["items"] == [
        {"label": labels[case.picture], "sha256": sha[case.picture], "in_bundle": True}
    ]
    assert incident["items_not_in_bundle"] == 1  # the file of case "Home"
    assert incident["messages"] == [
        {"label": labels[case.chat], "from": 1, "to": 3, "in_bundle": True}
    ]
    people = json.loads(files["bag/data/case/people.json"])
    assert {p["name"] for p in people} == {"Gareth Holloway", "Dee Okafor"}  # only this case's
    assert all(set(p) == {"id", "name", "role", "identifiers"} for p in people)
    lines = files["bag/data/case/chronology.jsonl"].decode().splitlines()
    entries = [json.loads(line) for line in lines]
    assert next(list(e) for e in entries) == ENTRY_FIELDS
    assert [e["when_utc"] for e in entries] == sorted(e["when_utc"] for e in entries)
    assert {e["label"].split(" #")[0] for e in entries if e["kind"] == "message"} == {
        labels[case.chat],
        labels[case.sms],
    }
    assert any(e["kind"] == "incident" and e["label"] == "incident 1" for e in entries)
    log = [json.loads(line) for line in files["bag/data/custody/continuity-log.jsonl"].splitlines()]
    assert any(e.get("action") == "incident added" for e in log)


def test_verify_fails_when_incidents_json_is_edited(case: Case, tmp_path: Path) -> None:
    _fill(case, tmp_path)
    zip_path = _export(case, tmp_path / "out", "rep")
    assert verify_bundle(zip_path).ok
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(tmp_path / "open")
    (top,) = list((tmp_path / "open").iterdir())
    target = top / "bag/data/case/incidents.json"
    target.write_text(
        target.read_text(encoding="utf-8").replace("Final warning", "A joke"), encoding="utf-8"
    )
    report = verify_bundle(top)
    assert not report.ok
    assert any("incidents.json" in str(check) for check in report.failed())


def test_no_statement_no_file_and_a_bundle_of_items_has_no_case_file(
    case: Case, tmp_path: Path
) -> None:
    files = _read(_export(case, tmp_path / "out", "rep"))
    assert "bag/data/case/statement.txt" not in files
    assert json.loads(files["bag/data/case/incidents.json"]) == []
    made = case.json(
        "export",
        "--items",
        str(case.picture),
        "--audience",
        "rep",
        "--out",
        str(tmp_path / "items"),
    )
    assert not any(n.startswith("bag/data/case/") for n in _read(Path(made["zip"])))  # type: ignore[index]


def test_a_manager_bundle_names_a_withheld_chat_by_label_only(case: Case, tmp_path: Path) -> None:
    from evidence_kit.redaction.store import redact_messages
    from evidence_kit.vault import Vault
    from tests.conftest import PASSPHRASE

    _fill(case, tmp_path)
    with Vault.open(case.cli.vault_dir, PASSPHRASE) as vault:
        redacted = redact_messages(vault, case.chat, [], ["HR"], "a colleague's name").id
    files = _read(_export(case, tmp_path / "m", "manager"))
    withheld = {w["exhibit"]: w for w in json.loads(files["bag/data/case/withheld.json"])}
    [incident] = json.loads(files["bag/data/case/incidents.json"])
    [span] = incident["messages"]
    assert span["label"] in withheld and span["in_bundle"] is False
    chronology = files["bag/data/case/chronology.jsonl"].decode()
    assert "going to HR" not in chronology  # the original's text stays in the vault
    assert "Final warning" in chronology  # the redacted copy's messages stand in for it
    labels = {json.loads(d)["exhibit"] for n, d in files.items() if n.endswith("/item.json")}
    assert all(json.loads(line)["label"].split(" #")[0] in labels | {"incident 1"}
               for line in chronology.splitlines())  # fmt: skip
    assert redacted


def test_a_bystander_seen_only_in_a_held_back_chat_is_not_in_people_json(
    case: Case, tmp_path: Path
) -> None:
    from evidence_kit.redaction.store import redact_messages
    from evidence_kit.vault import Vault
    from tests.conftest import PASSPHRASE

    _fill(case, tmp_path)
    case.json("person", "add", "Priya Rao", "--role", "bystander", "--id", "whatsapp:Priya Rao")
    police = _read(_export(case, tmp_path / "p", "police"))
    assert "Priya Rao" in {p["name"] for p in json.loads(police["bag/data/case/people.json"])}
    with Vault.open(case.cli.vault_dir, PASSPHRASE) as vault:
        redact_messages(vault, case.chat, [], ["Priya Rao"], "a bystander")
    files = _read(_export(case, tmp_path / "m", "manager"))
    assert b"Priya Rao" not in files["bag/data/case/people.json"]
    assert b"Priya Rao" not in files["bag/data/case/chronology.jsonl"]
    assert b"Priya Rao" not in files["bag/data/custody/continuity-log.jsonl"]
