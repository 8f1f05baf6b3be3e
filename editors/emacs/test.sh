#!/usr/bin/env bash
# Emacs + eglot in batch mode on a copy of examples/ (Debian: emacs-nox elpa-eglot elpa-markdown-mode).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
export COPYDESK_BIN="${COPYDESK_BIN:-$top/target/debug/copydesk}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/ws" "$tmp/home"
cp -r "$top/examples/sources" "$top/examples/copydesk.toml" "$top/examples/draft.md" "$tmp/ws/"
export COPYDESK_WS="$tmp/ws" HOME="$tmp/home"
timeout --kill-after=5 120 emacs --batch -Q -l "$here/test.el" </dev/null
