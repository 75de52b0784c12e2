package emu

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/sisemu/sisemu/governance"
)

// TestAuditTimestampsAreCounterReadings: an inference's audit timestamp is
// the virtual counter's reading when it finished (console.md §8), a whole
// number of 16 ns ticks, even when the modelled latency is not.
func TestAuditTimestampsAreCounterReadings(t *testing.T) {
	m := MustNew(Options{})
	m.Exec("llmctl load --wcet-cycles 50000")
	r := m.Exec("llminfer a b c --max-tokens 3") // 3 × 266,666 ns: not a multiple of 16
	end := (r.Start + r.Elapsed - LineCost).Ns()
	out := m.Exec("llmjson").Output
	want := fmt.Sprintf(`"ts_ns":%d}`, end)
	if !strings.HasPrefix(out, `[{"op":3,`) || !strings.Contains(strings.SplitN(out, "}, ", 2)[0]+"}", want) {
		t.Fatalf("newest record should end with %s:\n%s", want, out)
	}
	if end%16 != 0 {
		t.Fatalf("end %d is not a tick boundary", end)
	}
}

// TestVerifiedLoadTimestampIsCounterReading: a path A load spends its
// modelled verification time (8 ns per byte) on the clock; for an odd size
// that is half a tick, and the audit timestamp must still be the counter's
// reading after the verification, not start + modelled ns.
func TestVerifiedLoadTimestampIsCounterReading(t *testing.T) {
	m := MustNew(Options{})
	sum := governance.ModelDigest(1, 1025)
	r := m.Exec("llmctl load --model 1 --hash 0x" + hex.EncodeToString(sum[:]) + " --size-bytes 1025")
	if !strings.Contains(r.Output, "[LLM] model loaded") {
		t.Fatalf("load failed:\n%s", r.Output)
	}
	end := (r.Start + r.Elapsed - LineCost).Ns()
	if end%16 != 0 {
		t.Fatalf("end %d is not a tick boundary", end)
	}
	a := m.Exec("llmctl audit").Output
	if want := fmt.Sprintf("status=1 ts_ns=%d\n", end); !strings.HasSuffix(a, want) {
		t.Fatalf("audit record should end with %q:\n%s", want, a)
	}
	if got := m.Governor().Status().SecurityStore[0].VerifiedNs; got != end {
		t.Fatalf("security store verified_ns %d, want %d", got, end)
	}
}
