#!/bin/sh
# Installs the Debian 12 packages the project needs to build, test and
# benchmark. Idempotent; run as root (CI is root) or through sudo.
set -eu
PACKAGES="build-essential cmake pkg-config make
  libpoppler-glib-dev libcairo2-dev libpcre2-dev libcsv-dev libcriterion-dev
  poppler-utils qpdf valgrind python3 fonts-wqy-microhei"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
