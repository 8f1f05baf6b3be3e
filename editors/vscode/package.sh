#!/usr/bin/env bash
# Builds the VS Code extension for one platform with the copydesk server inside:
#
#   editors/vscode/package.sh TARGET [BINARY]
#
# TARGET is a vsce target: linux-x64, linux-arm64, darwin-x64, darwin-arm64,
# win32-x64. BINARY is copydesk's release binary for TARGET; without it, for
# linux-x64 on an x86_64 Linux machine, this runs `cargo build --profile dist` in the
# checkout and takes target/dist/copydesk. Other targets need the binary (the
# release workflow cross-builds them). The binary's format and CPU are checked
# against TARGET, so a package never carries the wrong server.
#
# Output: editors/vscode/dist/copydesk-TARGET.vsix, holding server/copydesk
# (server/copydesk.exe on Windows) with its executable bit. The extension runs
# it unless the copydesk.path setting names another binary.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"

usage() { echo "usage: $0 linux-x64|linux-arm64|darwin-x64|darwin-arm64|win32-x64 [BINARY]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
target="$1"
# The binary's header: ELF, Mach-O or PE, and the CPU it was built for.
case "$target" in
  linux-x64)    triple=x86_64-unknown-linux-gnu;  format=elf;   cpu=x86_64 ;;
  linux-arm64)  triple=aarch64-unknown-linux-gnu; format=elf;   cpu=aarch64 ;;
  darwin-x64)   triple=x86_64-apple-darwin;       format=macho; cpu=x86_64 ;;
  darwin-arm64) triple=aarch64-apple-darwin;      format=macho; cpu=aarch64 ;;
  win32-x64)    triple=x86_64-pc-windows-msvc;    format=pe;    cpu=x86_64 ;;
  *) echo "unknown target: $target" >&2; usage ;;
esac
exe=copydesk; [ "$format" = pe ] && exe=copydesk.exe

if [ $# -eq 2 ]; then
  binary="$2"
elif [ "$target" = linux-x64 ] && [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ]; then
  echo "==> cargo build --profile dist ($triple)"
  (cd "$top" && cargo build --profile dist --locked --quiet)
  binary="$top/target/dist/copydesk"
else
  echo "$target: pass the $triple release binary of copydesk as the second argument" >&2
  exit 2
fi
[ -f "$binary" ] || { echo "no such binary: $binary" >&2; exit 1; }

# Bytes of the header as hex, from offset $1, $2 bytes.
header() { od -An -tx1 -j "$1" -N "$2" "$binary" | tr -d ' \n'; }
case "$format" in
  elf)
    [ "$(header 0 4)" = 7f454c46 ] || { echo "$binary is not an ELF binary (needed for $target)" >&2; exit 1; }
    # e_machine, little-endian: 0x3e x86-64, 0xb7 AArch64.
    case "$(header 18 2)" in 3e00) got=x86_64 ;; b700) got=aarch64 ;; *) got="machine $(header 18 2)" ;; esac ;;
  macho)
    [ "$(header 0 4)" = cffaedfe ] || { echo "$binary is not a 64-bit Mach-O binary (needed for $target)" >&2; exit 1; }
    # cputype, little-endian: 0x01000007 x86_64, 0x0100000c arm64.
    case "$(header 4 4)" in 07000001) got=x86_64 ;; 0c000001) got=aarch64 ;; *) got="cputype $(header 4 4)" ;; esac ;;
  pe)
    [ "$(header 0 2)" = 4d5a ] || { echo "$binary is not a Windows PE binary (needed for $target)" >&2; exit 1; }
    # The PE header's offset is at 0x3c; its Machine field follows "PE\0\0": 0x8664 x64.
    pe=$((16#$(od -An -tx4 -j 60 -N 4 "$binary" | tr -d ' \n')))
    case "$(header $((pe + 4)) 2)" in 6486) got=x86_64 ;; 64aa) got=aarch64 ;; *) got="machine $(header $((pe + 4)) 2)" ;; esac ;;
esac
[ "$got" = "$cpu" ] || { echo "$binary is built for $got, $target needs $cpu" >&2; exit 1; }

cd "$here"
[ -d node_modules ] || npm ci --silent --prefer-offline
npm run --silent build
# server/ holds only this package's binary, and goes away afterwards so that
# the universal package (`npm run package`) never carries one.
rm -rf server
trap 'rm -rf "$here/server"' EXIT
mkdir -p server dist
cp "$binary" "server/$exe"
chmod 755 "server/$exe"
out="dist/copydesk-$target.vsix"
npx vsce package --target "$target" --out "$out"
echo "$here/$out ($target, server $(du -h "server/$exe" | cut -f1))"
