package asm_test

import (
	"reflect"
	"testing"

	"github.com/sisemu/sisemu/agentsys/asm"
	"github.com/sisemu/sisemu/sched/clock"
)

// TestRecentFaultsKeepsNewestTen: the metrics' fault list (§6.4 "newest
// 10") keeps the ten newest faults, oldest first, while Faults counts all;
// the list outlives the agent across respawns of the same id.
func TestRecentFaultsKeepsNewestTen(t *testing.T) {
	s := newSup(t)
	now := clock.Ticks(0)
	for i := range 11 {
		if _, err := s.Spawn(now, 7, "crashy", 0, false); err != nil {
			t.Fatalf("spawn %d: %v", i, err)
		}
		now += clock.Millisecond
		if _, err := s.Exit(now, 7, 1); err != nil { // crash, removed
			t.Fatalf("exit %d: %v", i, err)
		}
	}
	if m, _ := s.Metrics(7); m.Faults != 11 || len(m.RecentFaults) != 10 {
		t.Fatalf("after 11 crashes: %d faults, %d recent", m.Faults, len(m.RecentFaults))
	}
	// A twelfth fault of another kind must push out the oldest crash.
	s.Spawn(now, 7, "crashy", 0, false)
	s.Violation(now, 7, asm.FaultCapability)
	m, ok := s.Metrics(7)
	if !ok || m.Faults != 12 || m.Spawns != 12 || m.Exits != 12 {
		t.Fatalf("metrics %+v", m)
	}
	want := []asm.Fault{asm.FaultCrash, asm.FaultCrash, asm.FaultCrash, asm.FaultCrash, asm.FaultCrash,
		asm.FaultCrash, asm.FaultCrash, asm.FaultCrash, asm.FaultCrash, asm.FaultCapability}
	if !reflect.DeepEqual(m.RecentFaults, want) {
		t.Fatalf("recent faults %v", m.RecentFaults)
	}
}
