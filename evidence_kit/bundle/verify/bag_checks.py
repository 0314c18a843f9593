"""The checks of the container and the bag: zip safety, layout, tag files, manifests, every file's
hashes, and the files beside the bag whose hashes the sealed bag-info.txt records."""

from __future__ import annotations

from collections.abc import Iterator

from evidence_kit.bundle.format import bag, layout
from evidence_kit.bundle.format.checks import Check, check
from evidence_kit.bundle.verify.facts import Facts

# Files beside the bag, and the bag-info.txt field that seals each one's SHA-256.
SEALED_BESIDE = (
    ("verify-txt", layout.VERIFY_TXT, "Evidence-Verify-Txt-Sha256", True),
    ("verify-html", layout.VERIFY_HTML, "Evidence-Verify-Html-Sha256", False),
)


def container(facts: Facts) -> Iterator[Check]:
    if facts.source.is_zip:
        yield check("container", "zip safety", facts.source.problems,
                    "one folder, no unsafe names, links or hidden bytes; both headers of every "
                    "entry agree; stored or deflate only; sizes within limits")  # fmt: skip
    else:
        yield check("container", "folder safety", facts.source.problems,
                    "no links, unsafe names or special files")  # fmt: skip


def structure(facts: Facts) -> Iterator[Check]:
    source = facts.source
    problems = []
    if not layout.BUNDLE_ID.match(source.top):
        problems.append(f"the top folder {source.top!r} is not named EVB-<date>-<id>")
    for needed in (layout.VERIFY_TXT, "bag/bagit.txt", "bag/bag-info.txt"):
        if needed not in source.names:
            problems.append(f"{needed} is missing")
    for name in sorted(source.names):
        problem = layout.place_problem(name)
        if problem:
            problems.append(f"{name!r} {problem}")
    yield check("layout", "bundle layout", problems,
                "one EVB-<id> folder holding VERIFY.txt, bag/ and seal/ (and the optional files of "
                "the format), every payload name plain ASCII")  # fmt: skip


def bagit_declaration(facts: Facts) -> Iterator[Check]:
    good = facts.member("bag/bagit.txt") == bag.BAGIT_TXT
    yield Check("bagit", "bagit.txt", good,
                "BagIt-Version 1.0, UTF-8" if good
                else "bagit.txt is missing or is not the BagIt 1.0 declaration")  # fmt: skip


def bag_info(facts: Facts) -> Iterator[Check]:
    info = facts.info
    problems = list(facts.info_problems)
    if facts.info_raw is None:
        problems.append("bag-info.txt is missing")
    for name in bag.BAG_INFO_FIELDS:
        if not info.get(name):
            problems.append(f"bag-info.txt lacks {name}")
    known = {*bag.BAG_INFO_FIELDS, *bag.OPTIONAL_FIELDS}
    problems += [f"bag-info.txt has an unknown field {n!r}" for n in info if n not in known]
    if info.get("Evidence-Bundle-Format") not in (None, layout.FORMAT):
        problems.append(f"the format is {info['Evidence-Bundle-Format']!r}")
    if info.get("External-Identifier") not in (None, facts.source.top):
        problems.append("External-Identifier does not match the folder name")
    yield check("bag-info", "bag-info.txt", problems, f"all {len(bag.BAG_INFO_FIELDS)} fields")


def manifest_forms(facts: Facts) -> Iterator[Check]:
    for algorithm in layout.ALGORITHMS:
        parsed = facts.manifests.get(algorithm)
        name = f"manifest-{algorithm}.txt"
        if parsed is None:
            yield Check(f"manifest-{algorithm}", name, False, "missing")
        else:
            yield check(f"manifest-{algorithm}", name, parsed.problems,
                        f"{len(parsed.entries)} files, in the exact form")  # fmt: skip


def completeness(facts: Facts) -> Iterator[Check]:
    problems = []
    present = set(facts.payload)
    for algorithm in layout.ALGORITHMS:
        entries = set(facts.entries(algorithm))
        problems += [
            f"{p} is in manifest-{algorithm}.txt but missing" for p in sorted(entries - present)
        ]
        problems += [f"{p} is not in manifest-{algorithm}.txt" for p in sorted(present - entries)]
    yield check("complete", "nothing missing, nothing extra", problems,
                f"{len(present)} payload files, each listed in both manifests")  # fmt: skip


def payload_oxum(facts: Facts) -> Iterator[Check]:
    octets = sum(facts.source.names[f"bag/{p}"] for p in facts.payload)
    expected = bag.payload_oxum(octets, len(facts.payload))
    stated = facts.info.get("Payload-Oxum")
    yield Check("payload-oxum", "Payload-Oxum", stated == expected,
                f"{expected} (bytes.files)" if stated == expected
                else f"bag-info.txt says {stated}, the bag holds {expected}")  # fmt: skip


def payload_hashes(facts: Facts) -> Iterator[Check]:
    for algorithm in layout.ALGORITHMS:
        entries = facts.entries(algorithm)
        listed = [p for p in facts.payload if p in entries]
        bad = [
            f"{p} could not be read" if facts.digest(f"bag/{p}", algorithm) is None
            else f"{p} does not match"
            for p in listed
            if facts.digest(f"bag/{p}", algorithm) != entries[p]
        ]  # fmt: skip
        yield check(f"payload-{algorithm}", f"payload files match manifest-{algorithm}.txt",
                    bad, f"{len(listed)} files read and hashed")  # fmt: skip


def tag_manifests(facts: Facts) -> Iterator[Check]:
    for algorithm in layout.ALGORITHMS:
        name = f"tagmanifest-{algorithm}.txt"
        raw = facts.tagmanifests.get(algorithm)
        if raw is None:
            yield Check(f"tagmanifest-{algorithm}", name, False, "missing")
            continue
        parsed = bag.parse_manifest(raw, algorithm)
        problems = list(parsed.problems)
        if sorted(parsed.entries) != sorted(layout.TAG_FILES):
            problems.append("it does not cover exactly bagit.txt, bag-info.txt and both manifests")
        for tag, digest in parsed.entries.items():
            if facts.digest(f"bag/{tag}", algorithm) != digest:
                problems.append(f"{tag} does not match")
        yield check(f"tagmanifest-{algorithm}", name, problems,
                    "bagit.txt, bag-info.txt and both manifests match")  # fmt: skip


def sealed_beside(facts: Facts) -> Iterator[Check]:
    """VERIFY.txt (always) and the browser verifier (when present) hash to what bag-info seals."""
    for check_id, name, field_name, required in SEALED_BESIDE:
        stated = facts.info.get(field_name)
        present = name in facts.source.names
        if not required and not present and not stated:
            continue
        actual = facts.digest(name)
        if not present:
            detail = f"{name} is missing (bag-info.txt records its SHA-256)"
        elif not stated:
            detail = f"{name} is here but bag-info.txt does not seal it"
        elif actual != stated:
            detail = f"{name} has been changed since the bundle was sealed"
        else:
            detail = "unchanged (its SHA-256 is sealed in bag-info.txt)"
        yield Check(check_id, name,
                    present and bool(stated) and actual == stated, detail)  # fmt: skip
