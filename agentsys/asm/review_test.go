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

// TestEndOfTime: at the saturated end of the virtual clock the next health
// check and the end of a throttle window lie beyond 2^64−1 ticks; they must
// saturate there and never fall due (as the scheduler's events do), not
// wrap to a small time that is always due (an endless check loop).
func TestEndOfTime(t *testing.T) {
	const end = clock.Ticks(^uint64(0))
	s := newSup(t)
	if _, err := s.Spawn(end, 1, "late", 0, false); err != nil {
		t.Fatal(err)
	}
	if due, ok := s.NextCheck(); ok {
		t.Fatalf("a check is due at %d after the end of time", due)
	}
	if ev := s.HealthCheck(end); len(ev) != 0 {
		t.Fatalf("events %+v", ev)
	}
	// An agent spawned 40 s before the end is checked up to the last whole
	// second, restarted by the watchdog once, and then no check is due.
	s = newSup(t)
	start := end - 40*clock.Second
	if _, err := s.Spawn(start, 2, "old", 0, false); err != nil {
		t.Fatal(err)
	}
	ev := run(s, end)
	if !reflect.DeepEqual(kinds(ev), []asm.EventKind{asm.EvFault, asm.EvRestarting}) {
		t.Fatalf("events %+v", ev)
	}
	if due, ok := s.NextCheck(); ok {
		t.Fatalf("a check is due at %d after the last second", due)
	}
	// A rate fault at the end of time throttles for the rest of time.
	for range 1001 {
		s.Admit(end, 2)
	}
	if _, refused, ev := s.Admit(end, 2); !refused || len(ev) != 0 {
		t.Fatalf("throttle window ended at the end of time: refused %v, events %+v", refused, ev)
	}
	if r, _ := s.Resources(end, 2); !r.Throttled {
		t.Fatalf("resources %+v", r)
	}
}
