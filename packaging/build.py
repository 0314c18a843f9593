"""`make package`: build the desktop programs and check them as a person would use them.

On every system: the browser verifier (build_verify_html.py --check), then PyInstaller from
packaging/evidence-kit.spec into build/dist/evidence-kit/ (one folder, both programs), with
evidence-kit-verify.html beside them. Then, on Linux (here):

- the built `evidence-kit` makes a vault, adds a file, exports a bundle and verifies it (exit 0);
- the built `evidence-kit-gui` starts on Xvfb and shows its first window (screenshot kept in
  build/package/first-window.png, to be looked at);
- a .deb (dpkg-deb) installing the folder under /opt/evidence-kit with launchers in /usr/bin, the
  .desktop file, the icon and the AppStream metainfo; it is unpacked with `dpkg-deb -x` into a
  temporary folder (never installed as root), its programs run from there, and `lintian` checks it;
  the .desktop file and the metainfo pass desktop-file-validate and appstreamcli validate;
- sizes and start-up times are written to build/package/report.json.
On Windows and macOS the hosted CI (.github/workflows/package.yml) runs the same script: it builds
and smoke-tests the command line there, then Inno Setup or the DMG recipe packs the folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "build" / "dist" / "evidence-kit"
OUT = ROOT / "build" / "package"
APP_ID = "org.evidencekit.EvidenceKit"
EXE = ".exe" if sys.platform == "win32" else ""
# What the Qt build needs from the system that PyInstaller does not carry (xcb platform plugin).
DEB_DEPENDS = ("libc6, libglib2.0-0, libfontconfig1, libfreetype6, libdbus-1-3, libgl1, libegl1, "
               "libxkbcommon0, libxkbcommon-x11-0, libxcb1, libxcb-cursor0, libxcb-icccm4, "
               "libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render-util0, libxcb-shape0, "
               "libxcb-xinerama0, libxcb-xkb1, libx11-6, libx11-xcb1, xdg-utils, sensible-utils")  # fmt: skip
# lintian tags that follow from shipping a self-contained PyInstaller folder under /opt.
LINTIAN_ACCEPTED = ("dir-or-file-in-opt", "embedded-library", "unstripped-binary-or-object",
                    "shared-library-lacks-prerequisites", "no-manual-page", "hardening-no-fortify-functions",
                    "library-not-linked-against-libc", "spelling-error-in-binary", "binary-without-manpage",
                    "executable-in-usr-lib", "shared-lib-without-dependency-information",
                    "initial-upload-closes-no-bugs", "no-changelog", "extended-description-is-probably-too-short",
                    # no project domain exists yet for a Maintainer address: said in the README
                    "bogus-mail-host")  # fmt: skip


def run(*args: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], check=True, text=True, **kwargs)  # type: ignore[call-overload]


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from importlib.metadata import version as installed

    return installed("evidence-kit")


def build() -> float:
    run(sys.executable, ROOT / "packaging/build_verify_html.py", "--check")
    started = time.perf_counter()
    run(sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", ROOT / "build/dist",
        "--workpath", ROOT / "build/work", ROOT / "packaging/evidence-kit.spec")  # fmt: skip
    shutil.copy(ROOT / "resources/evidence-kit-verify.html", DIST / "evidence-kit-verify.html")
    return time.perf_counter() - started


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def smoke_cli(folder: Path, work: Path) -> dict[str, float]:
    """The built command line: init, add, export, verify — as a person would run them."""
    cli = folder / f"evidence-kit{EXE}"
    env = {**os.environ, "EVIDENCE_KIT_HOME": str(work / "vault"),
           "EVIDENCE_KIT_PASSPHRASE": "shelf cobalt meadow lantern 1987"}  # fmt: skip
    times = {}
    started = time.perf_counter()
    run(cli, "--version", env=env, capture_output=True)
    times["cli_version_s"] = time.perf_counter() - started
    run(cli, "init", "--owner", "Test Person", env=env, capture_output=True, input="")
    letter = work / "letter.txt"
    letter.write_text("Sent on Friday: you will regret this.\n")
    run(cli, "add", letter, "--case", "Work", env=env, capture_output=True)
    out = work / "out"
    run(cli, "export", "--case", "Work", "--audience", "manager", "--out", out, env=env,
        capture_output=True)  # fmt: skip
    (bundle,) = out.glob("EVB-*.zip")
    started = time.perf_counter()
    done = run(cli, "verify", bundle, "--json", env=env, capture_output=True)
    times["cli_verify_s"] = time.perf_counter() - started
    report = json.loads(done.stdout)
    assert report["ok"], report
    print(f"built evidence-kit verify: {report['summary']}")
    return times


def smoke_gui(folder: Path, work: Path) -> float:
    """The built desktop program on Xvfb: seconds until its first window is shown."""
    display = ":97"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
    try:
        time.sleep(1)
        env = {**os.environ, "DISPLAY": display, "EVIDENCE_KIT_HOME": str(work / "gui-vault")}
        env.pop("QT_QPA_PLATFORM", None)
        started = time.perf_counter()
        gui = subprocess.Popen([str(folder / f"evidence-kit-gui{EXE}")], env=env)
        try:
            shown = None
            while time.perf_counter() - started < 60 and gui.poll() is None:
                found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "Evidence Kit"],
                                       env=env, capture_output=True, text=True)  # fmt: skip
                if found.stdout.strip():
                    shown = time.perf_counter() - started
                    break
                time.sleep(0.05)
            assert shown is not None, f"no window appeared (exit code {gui.poll()})"
            time.sleep(2)  # let it paint
            run("import", "-display", display, "-window", "root", OUT / "first-window.png")
            print(f"built evidence-kit-gui showed its first window in {shown:.2f} s")
            return shown
        finally:
            gui.terminate()
            gui.wait(10)
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def deb(folder: Path, ver: str) -> Path:
    tree = OUT / "deb-tree"
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(folder, tree / "opt/evidence-kit", symlinks=True)
    (tree / "usr/bin").mkdir(parents=True)
    for name in ("evidence-kit", "evidence-kit-gui"):
        (tree / "usr/bin" / name).symlink_to(f"/opt/evidence-kit/{name}")
    share = tree / "usr/share"
    for source, target in ((f"linux/{APP_ID}.desktop", f"applications/{APP_ID}.desktop"),
                           (f"linux/{APP_ID}.metainfo.xml", f"metainfo/{APP_ID}.metainfo.xml")):  # fmt: skip
        (share / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "packaging" / source, share / target)
    icon = share / f"icons/hicolor/scalable/apps/{APP_ID}.svg"
    icon.parent.mkdir(parents=True)
    shutil.copy(ROOT / "resources/icons/evidence-kit.svg", icon)
    doc = share / "doc/evidence-kit"
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        "Upstream-Name: evidence-kit\n\nFiles: *\nCopyright: The Evidence Kit developers\n"
        "License: GPL-3+\n On Debian systems the licence is in /usr/share/common-licenses/GPL-3.\n"
    )
    for path in tree.rglob("*"):
        if path.is_symlink():
            continue
        library = ".so" in path.name and path.is_file()
        if library:
            _clear_runpath(path)
        executable = path.is_dir() or (os.access(path, os.X_OK) and not library)
        path.chmod(0o755 if executable else 0o644)  # a shared library is read, never run
    control = tree / "DEBIAN/control"
    control.parent.mkdir()
    size_kib = folder_size(tree) // 1024
    control.write_text(
        f"Package: evidence-kit\nVersion: {ver}\nArchitecture: amd64\nSection: utils\n"
        f"Priority: optional\nMaintainer: The Evidence Kit developers <evidence-kit@localhost>\n"
        f"Installed-Size: {size_kib}\nDepends: {DEB_DEPENDS}\n"
        "Description: keep evidence of online harassment safe and hand it over sealed\n"
        " Evidence Kit captures screenshots and imports message exports into an encrypted,\n"
        " append-only vault, and exports sealed bundles that anyone can check, offline.\n"
    )
    target = OUT / f"evidence-kit_{ver}_amd64.deb"
    run("dpkg-deb", "--root-owner-group", "-Zxz", "--build", tree, target, capture_output=True)
    return target


def _clear_runpath(library: Path) -> None:
    """No RUNPATH pointing into the build machine (e.g. /root/.pyenv/…/lib): on a person's
    computer such a folder could hold another library of the same name. PyInstaller's loader
    finds the bundled libraries itself."""
    found = subprocess.run(
        ["patchelf", "--print-rpath", str(library)], capture_output=True, text=True
    )
    if found.returncode == 0 and found.stdout.strip():
        run("patchelf", "--remove-rpath", library, capture_output=True)


def check_deb(package: Path, work: Path) -> list[str]:
    """Unpack (never install) the .deb and run what it installs; lintian's findings."""
    unpacked = work / "unpacked"
    run("dpkg-deb", "-x", package, unpacked)
    for needed in ("opt/evidence-kit/evidence-kit", "opt/evidence-kit/evidence-kit-gui",
                   "opt/evidence-kit/evidence-kit-verify.html", f"usr/share/applications/{APP_ID}.desktop",
                   f"usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg",
                   f"usr/share/metainfo/{APP_ID}.metainfo.xml"):  # fmt: skip
        assert (unpacked / needed).exists(), needed
    assert (
        os.readlink(unpacked / "usr/bin/evidence-kit-gui") == "/opt/evidence-kit/evidence-kit-gui"
    )
    smoke_cli(unpacked / "opt/evidence-kit", work / "from-deb")
    run("desktop-file-validate", unpacked / f"usr/share/applications/{APP_ID}.desktop")
    run(
        "appstreamcli",
        "validate",
        "--no-net",
        unpacked / f"usr/share/metainfo/{APP_ID}.metainfo.xml",
    )
    found = subprocess.run(["lintian", "--no-tag-display-limit", str(package)], capture_output=True,
                           text=True)  # fmt: skip
    lines = [line for line in found.stdout.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("E:")
              and not any(tag in line for tag in LINTIAN_ACCEPTED)]  # fmt: skip
    assert not errors, "\n".join(errors)
    return lines


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    report: dict[str, object] = {"system": sys.platform, "build_s": build()}
    report["folder_bytes"] = folder_size(DIST)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        report.update(smoke_cli(DIST, work / "built"))
        if sys.platform.startswith("linux"):
            report["gui_first_window_s"] = smoke_gui(DIST, work)
            package = deb(DIST, version())
            report["deb"] = package.name
            report["deb_bytes"] = package.stat().st_size
            report["lintian"] = check_deb(package, work)
    (OUT / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k != "lintian"}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
