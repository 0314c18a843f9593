#!/bin/sh
# Debian/Ubuntu packages Evidence Kit's program and tests need. Installs the missing ones when
# run as root with apt-get; otherwise lists them. Other systems: install the equivalents.
# `install-system-deps.sh package` adds the tools `make package` uses (dpkg-deb is in dpkg).
set -u
PACKAGES="xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libxkbcommon0 libegl1 libgl1
libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core openssh-client openssl zip x11-utils poppler-utils xdotool
chromium chromium-driver age openbox dbus-daemon at-spi2-core"
# openbox, dbus-daemon, at-spi2-core: the journey tests run the real program under a window
# manager and find its controls through the accessibility bus.
# chromium, chromium-driver: the browser verifier's tests run it in headless Chromium.
if [ "${1:-}" = package ]; then
  # binutils: PyInstaller reads shared libraries with objdump; lintian, desktop-file-utils and
  # appstream check the .deb, the .desktop file and the AppStream metainfo; imagemagick shows
  # the smoke test's screenshot; patchelf takes the build machine's paths out of the
  # libraries' RUNPATH.
  PACKAGES="$PACKAGES binutils lintian desktop-file-utils appstream x11-apps imagemagick patchelf"
fi

command -v dpkg-query >/dev/null 2>&1 || { echo "install-system-deps: not a Debian system; skipping"; exit 0; }
missing=""
for pkg in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "Please install these system packages (as root):$missing" >&2
fi
