#!/usr/bin/env bash
# Make sure the Debian/Ubuntu packages the app needs are installed.
#   scripts/system-packages.sh run    what the app needs (PDF output, translations, venv)
#   scripts/system-packages.sh serve  the above plus nginx, the buffering proxy of `make serve`
#   scripts/system-packages.sh test   the above plus what the tests need (browser, PDF tools)
# nginx is left out of `run`: trying the app needs no proxy, and Debian starts a system-wide
# nginx on port 80 when it installs the package.
# As root, missing packages are installed with apt-get; otherwise they are named and we stop.
set -euo pipefail
mode=${1:-run}

packages=(gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-liberation)
if [ "$mode" = serve ] || [ "$mode" = test ]; then
  packages+=(nginx)
fi
if [ "$mode" = test ]; then
  packages+=(chromium chromium-driver poppler-utils)
fi
python=${PYTHON:-python3}
# Making .venv needs the interpreter's own venv package (Debian: python3.11-venv for python3.11).
if [ ! -x .venv/bin/python ] && ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
  minor=$("$python" -c 'import sys; print(sys.version_info[1])' 2>/dev/null || true)
  packages+=("python3${minor:+.$minor}-venv")
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "Not a Debian/Ubuntu system: make sure these are installed: ${packages[*]}" >&2
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  cat >&2 <<MSG
Missing system packages: ${missing[*]}
Install them (once) and run the command again:
    sudo apt-get install -y ${missing[*]}
(libharfbuzz-subset0 makes PDF reports ten times faster; fonts-noto-cjk prints Chinese
in them; fonts-liberation sets the Latin text of English reports; nginx is the proxy
in front of `make serve`; chromium, chromium-driver and poppler-utils are needed by the
tests only.)
MSG
  exit 1
fi
