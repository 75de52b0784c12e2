package emu

import (
	"fmt"
	"strings"
	"testing"
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
