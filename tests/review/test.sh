#!/usr/bin/env bash
# The review page in headless Chromium (review.mjs): installs Debian's
# chromium (apt) and puppeteer-core (npm ci, cached in .cache/npm) if missing,
# builds the copydesk binary if missing (COPYDESK_BIN, else target/debug/copydesk),
# and writes screenshots to target/review-test/ (COPYDESK_TEST_OUT); the
# README's docs/review.png is its review-desktop.png.
# Fails if any step fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
top="$PWD"

if ! dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q "install ok installed"; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

export COPYDESK_BIN="${COPYDESK_BIN:-$top/target/debug/copydesk}"
if [ ! -x "$COPYDESK_BIN" ]; then
  cargo build --quiet
fi

mkdir -p .cache
export npm_config_cache="$top/.cache/npm" npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
cd tests/review
npm ci --silent --prefer-offline
COPYDESK_TEST_OUT="${COPYDESK_TEST_OUT:-$top/target/review-test}" node review.mjs
