#!/bin/sh
# macOS: the .app from PyInstaller (packaging/evidence-kit.spec makes "Evidence Kit.app" around
# the one folder) packed into a DMG with the browser verifier beside it. Run on a Mac (the hosted
# CI's macOS runner) after `python packaging/build.py`. Not run on the Linux build machine.
# The build is not signed or notarised: the README explains Gatekeeper's "Open anyway".
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VERSION=${1:-0.1.0}
STAGE="$ROOT/build/dmg"
rm -rf "$STAGE" && mkdir -p "$STAGE"
cp -R "$ROOT/build/dist/Evidence Kit.app" "$STAGE/"
cp "$ROOT/resources/evidence-kit-verify.html" "$STAGE/Check a bundle (evidence-kit-verify).html"
ln -s /Applications "$STAGE/Applications"
mkdir -p "$ROOT/build/package"
hdiutil create -volname "Evidence Kit $VERSION" -srcfolder "$STAGE" -ov -format UDZO \
  "$ROOT/build/package/evidence-kit-$VERSION.dmg"
