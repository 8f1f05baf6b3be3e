#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, the newest that runs on Node 20)
# from npm into $1 (default: .cache/code-server in the checkout). Its own install
# scripts fail unattended (one downloads ripgrep from outside the registries),
# so this runs the steps by hand, with Debian's ripgrep. Idempotent: a finished
# install is marked with a stamp file and reused.
set -euo pipefail
VERSION=4.100.3
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../../.." && pwd)"
dest="${1:-$top/.cache/code-server}"
stamp="$dest/.installed-$VERSION"
if [ -f "$stamp" ]; then
  echo "code-server $VERSION: cached in $dest"
  exit 0
fi
for tool in rg pkg-config; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install ripgrep pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev build-essential" >&2; exit 1; }
done
rm -rf "$dest"
mkdir -p "$dest"
cd "$dest"
export npm_config_yes=true npm_config_fund=false npm_config_audit=false
export npm_config_cache="$top/.cache/npm"
echo '{"name":"copydesk-code-server","private":true}' > package.json
npm pack --silent "code-server@$VERSION" >/dev/null
npm install --silent --no-save "./code-server-$VERSION.tgz" --ignore-scripts
cs="$dest/node_modules/code-server"
(cd "$cs/lib/vscode" && npm install --silent --omit=dev --ignore-scripts)
mkdir -p "$cs/lib/vscode/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$cs/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
(cd "$cs/lib/vscode" && npm rebuild --foreground-scripts >/dev/null 2>&1 || npm rebuild --foreground-scripts)
(cd "$cs/lib/vscode" && ln -sfn node_modules node_modules.asar)
(cd "$cs/lib/vscode/bin/remote-cli" && ln -sf code-linux.sh code-server)
(cd "$cs/lib/vscode/bin/helpers" && ln -sf browser-linux.sh browser.sh)
(cd "$cs/lib/vscode/extensions" && npm install --silent --omit=dev)
npm rebuild argon2 >/dev/null   # hoisted next to code-server
XDG_CONFIG_HOME="$dest/.config" node "$cs/out/node/entry.js" --version
touch "$stamp"
echo "code-server $VERSION: installed in $dest"
