#!/usr/bin/env bash
# .ci/arm64-transcripts.sh — cross-architecture determinism: build the emu
# package's tests for linux/arm64 and run every transcript and the long
# determinism script under qemu-user. The transcripts are exact expected
# output written on amd64, so a pass means byte-identical output on both.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PATH:/usr/local/go/bin
qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)
[ -n "$qemu" ] || { echo "arm64-transcripts: qemu-aarch64 not installed (bash .ci/run installs it)" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go test -c -o "$out/emu.test" ./emu
echo "arm64-transcripts: running emu transcripts and the determinism script under $(basename "$qemu")"
(cd emu && "$qemu" "$out/emu.test" -test.run '^(TestTranscripts|TestDeterminism)$' -test.count=1) | tail -3
