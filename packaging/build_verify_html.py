"""Build the browser verifier: one self-contained offline HTML file.

    python packaging/build_verify_html.py            # assemble resources/evidence-kit-verify.html
    python packaging/build_verify_html.py --check    # fail if the committed file is not what it builds
    python packaging/build_verify_html.py --vendor   # first refresh vendor/ from the npm registry

The page is `packaging/verify-html/verify.html` with our scripts (`src/*.js`, in the order below)
and the vendored libraries inlined: noble-ed25519 (Ed25519 where the browser's Web Crypto has
none) and hash-wasm's SHA-256 and SHA-512 (pieces too large for one Web Crypto call). The
vendored files and their licences are committed in `packaging/verify-html/vendor/`, copied there
from the npm packages pinned in `package.json` / `package-lock.json` by `--vendor` (`npm ci`).
Assembling needs no network and no Node.js; the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "packaging" / "verify-html"
VENDOR = HERE / "vendor"
OUTPUT = ROOT / "resources" / "evidence-kit-verify.html"
SOURCES = ("pyjson", "zip", "source", "format", "seal", "hashing", "checks", "ui")
# vendor file -> the file of its npm package it is copied from
VENDORED = {
    "noble-ed25519.js": ("@noble/ed25519", "index.js"),
    "noble-ed25519.LICENSE": ("@noble/ed25519", "LICENSE"),
    "hash-wasm-sha256.umd.min.js": ("hash-wasm", "dist/sha256.umd.min.js"),
    "hash-wasm-sha512.umd.min.js": ("hash-wasm", "dist/sha512.umd.min.js"),
    "hash-wasm.LICENSE": ("hash-wasm", "LICENSE"),
}
NOBLE_EXPORT = re.compile(r"^export \{[^}]*\bverifyAsync\b[^}]*\};\s*$", re.MULTILINE)


class BuildError(Exception):
    pass


def vendor() -> None:
    """Refresh vendor/ from the packages package-lock.json pins (npm ci, from the registry)."""
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)
    versions = {}
    for target, (package, inner) in VENDORED.items():
        folder = HERE / "node_modules" / package
        shutil.copyfile(folder / inner, VENDOR / target)
        versions[package] = json.loads((folder / "package.json").read_text("utf-8"))["version"]
    (VENDOR / "VERSIONS.json").write_text(json.dumps(versions, indent=2, sort_keys=True) + "\n")


def _inline(text: str, what: str) -> str:
    """Text that can stand inside <script>…</script> unchanged."""
    if re.search(r"</script|<!--", text, re.IGNORECASE):
        raise BuildError(f"{what} holds '</script' or '<!--' and cannot be inlined as it is")
    return text


def _licence(path: Path) -> str:
    return "/*!\n" + path.read_text("utf-8").replace("*/", "* /").strip() + "\n*/\n"


def _noble(version: str) -> str:
    """noble-ed25519 is one ES module with no imports; as a classic script it becomes one
    function whose result is its export (only verifyAsync is used)."""
    source = (VENDOR / "noble-ed25519.js").read_text("utf-8")
    code = re.sub(r"/\*.*?\*/", "", NOBLE_EXPORT.sub("", source), flags=re.DOTALL)
    if len(NOBLE_EXPORT.findall(source)) != 1 or re.search(r"^\s*(import|export)\s", code, re.M):
        raise BuildError("noble-ed25519.js is not the one-module form this build expects")
    body = NOBLE_EXPORT.sub("return { verifyAsync };", source)
    return (
        f"const NOBLE_ED25519_VERSION = {json.dumps(version)};\n"
        f"const nobleEd25519 = (() => {{\n{body}\n}})();\n"
    )


def build() -> bytes:
    versions = json.loads((VENDOR / "VERSIONS.json").read_text("utf-8"))
    page = (HERE / "verify.html").read_text("utf-8")
    hash_wasm = _licence(VENDOR / "hash-wasm.LICENSE") + "".join(
        (VENDOR / name).read_text("utf-8").strip() + "\n"
        for name in ("hash-wasm-sha256.umd.min.js", "hash-wasm-sha512.umd.min.js")
    )
    noble = _licence(VENDOR / "noble-ed25519.LICENSE") + _noble(versions["@noble/ed25519"])
    vendored = (
        f'<script id="hash-wasm">\n{_inline(hash_wasm, "hash-wasm")}</script>\n'
        f'<script id="noble-ed25519">\n{_inline(noble, "noble-ed25519")}</script>'
    )
    ours = f"const HASH_WASM_VERSION = {json.dumps(versions['hash-wasm'])};\n" + "".join(
        f"\n// ---- {name}.js\n" + _inline((HERE / "src" / f"{name}.js").read_text("utf-8"), name)
        for name in SOURCES
    )
    libraries = (
        f"noble-ed25519 {versions['@noble/ed25519']} (MIT licence, used only where the browser "
        f"has no Ed25519) and hash-wasm {versions['hash-wasm']} (MIT licence), each with its "
        "licence in the page's source"
    )
    for marker in ("@@VENDOR@@", "@@SCRIPT@@", "@@LIBRARIES@@"):
        if page.count(marker) != 1:
            raise BuildError(f"verify.html must hold {marker} exactly once")
    page = page.replace("@@LIBRARIES@@", libraries).replace("@@VENDOR@@", vendored)
    return page.replace("@@SCRIPT@@", ours).encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file")
    parser.add_argument("--vendor", action="store_true", help="refresh vendor/ with npm ci first")
    args = parser.parse_args(argv)
    if args.vendor:
        vendor()
    built = build()
    if args.check:
        if OUTPUT.read_bytes() != built:
            print(
                f"{OUTPUT} is not what packaging/build_verify_html.py builds: run it",
                file=sys.stderr,
            )
            return 1
        return 0
    OUTPUT.write_bytes(built)
    print(f"{OUTPUT.relative_to(ROOT)}: {len(built)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
