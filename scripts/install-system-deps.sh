#!/usr/bin/env bash
# Debian packages the app and the tests need: Chromium for the real-browser tests (Playwright
# drives /usr/bin/chromium; it never downloads a browser of its own) and for the chart images of
# the exports (kaleido drives the same Chromium); DejaVu Sans for the PDF report; LibreOffice
# Impress and poppler-utils (pdftoppm) for the tests that render the deck and the report to PNG;
# LibreOffice Calc for scripts/build_fuzz_seeds.py (the .xlsm, .ods and .xls fuzzing seeds);
# PostgreSQL for the store tests (scripts/start-test-postgres.sh starts it).
# Installs only what is missing; needs root (or sudo) and Debian's package lists.
set -euo pipefail
packages=()
[[ -x /usr/bin/chromium ]] || packages+=(chromium)
[[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || packages+=(fonts-dejavu-core)
command -v soffice >/dev/null || packages+=(libreoffice-impress)
[[ -e /usr/lib/libreoffice/program/libsclo.so ]] || packages+=(libreoffice-calc)
command -v pdftoppm >/dev/null || packages+=(poppler-utils)
command -v pg_lsclusters >/dev/null && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || packages+=(postgresql)
if ((${#packages[@]} == 0)); then
  exit 0
fi
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then sudo_cmd=(sudo); else
    echo "install-system-deps: need root to install ${packages[*]} (apt-get); the browser and rendering tests will be skipped" >&2
    exit 0
  fi
fi
echo "install-system-deps: installing ${packages[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
