#!/usr/bin/env bash
# .ci/arm64.sh — cross-build the hardware-timer shim for linux/arm64 and run
# its tests under qemu-user, so the CNTVCT_EL0/CNTFRQ_EL0 assembly really
# executes. Installs qemu-user-static with apt-get when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PATH:/usr/local/go/bin
if ! command -v qemu-aarch64-static >/dev/null 2>&1; then
	sudo_cmd=""
	if [ "$(id -u)" != 0 ]; then sudo_cmd=sudo; fi
	$sudo_cmd apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq qemu-user-static >/dev/null
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "arm64: cross-building ./sched/... and ./cmd/sisemu for linux/arm64"
GOOS=linux GOARCH=arm64 go build -o /dev/null ./sched/... ./cmd/sisemu
GOOS=linux GOARCH=arm64 go vet ./sched/hwclock
echo "arm64: building the shim's test binary"
GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go test -c -o "$out/hwclock.test" ./sched/hwclock
echo "arm64: running it under qemu-aarch64-static"
qemu-aarch64-static "$out/hwclock.test" -test.v -test.count=1 | tee "$out/log"
grep -q -- '--- PASS: TestRawRegisters' "$out/log" || { echo "arm64: the register test did not run" >&2; exit 1; }
echo "arm64: sisemu sched simulate --clock hw under qemu (CNTVCT_EL0 paces the slices)"
GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -o "$out/sisemu" ./cmd/sisemu
qemu-aarch64-static "$out/sisemu" sched simulate --taskset examples/taskset.json --until 20ms --clock hw | tee "$out/sim"
grep -q '^hw clock cntvct at ' "$out/sim" || { echo "arm64: simulate did not use the generic timer" >&2; exit 1; }
echo "arm64: ok"
