#!/bin/sh
# Debian/Ubuntu packages Evidence Kit's program and tests need. Installs the missing ones when
# run as root with apt-get; otherwise lists them. Other systems: install the equivalents.
set -u
PACKAGES="xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libxkbcommon0 libegl1 libgl1
libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core openssh-client openssl zip x11-utils poppler-utils xdotool
openbox dbus-daemon at-spi2-core"

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
