package asm_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/sisemu/sisemu/agentsys/asm"
	"github.com/sisemu/sisemu/agentsys/frame"
	"github.com/sisemu/sisemu/sched/clock"
)

func newSup(t *testing.T) *asm.Supervisor {
	t.Helper()
	s, err := asm.New(asm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func kinds(ev []asm.Event) []asm.EventKind {
	var k []asm.EventKind
	for _, e := range ev {
		k = append(k, e.Kind)
	}
	return k
}

// run drives the health checks up to t, as the machine does.
func run(s *asm.Supervisor, t clock.Ticks) []asm.Event {
	var ev []asm.Event
	for {
		due, ok := s.NextCheck()
		if !ok || due > t {
			return ev
		}
		ev = append(ev, s.HealthCheck(due)...)
	}
}

func TestCrashRestartsThreeTimesThenRemoval(t *testing.T) {
	s := newSup(t)
	pid, err := s.Spawn(0, 7, "worker", frame.Caps(frame.FsBasic), true)
	if err != nil || pid != 100 {
		t.Fatalf("spawn: %d %v", pid, err)
	}
	for k := uint32(1); k <= 3; k++ {
		ev, err := s.Exit(clock.Ticks(k)*clock.Millisecond, 7, -11)
		if err != nil {
			t.Fatal(err)
		}
		want := []asm.Event{{Kind: asm.EvExited, Agent: 7, Code: -11}, {Kind: asm.EvFault, Agent: 7, Fault: asm.FaultCrash},
			{Kind: asm.EvRestarting, Agent: 7, PID: 100 + k, Attempt: k, Max: 3}}
		if !reflect.DeepEqual(ev, want) {
			t.Fatalf("crash %d: %+v", k, ev)
		}
		a, ok := s.Agent(7)
		if !ok || a.PID != 100+k || a.RestartCount != k || a.SpawnTime != clock.Ticks(k)*clock.Millisecond {
			t.Fatalf("after restart %d: %+v", k, a)
		}
	}
	ev, _ := s.Exit(10*clock.Millisecond, 7, 1)
	if !reflect.DeepEqual(kinds(ev), []asm.EventKind{asm.EvExited, asm.EvFault, asm.EvMaxRestarts}) {
		t.Fatalf("4th crash: %+v", ev)
	}
	if _, ok := s.Agent(7); ok {
		t.Fatal("agent survived its 4th crash")
	}
	tel := s.Telemetry()
	if tel != (asm.Telemetry{Spawns: 4, Exits: 4, Faults: 4, Restarts: 3, Active: 0}) {
		t.Fatalf("telemetry %+v", tel)
	}
	m, _ := s.Metrics(7)
	if m.Spawns != 4 || m.Exits != 4 || m.Faults != 4 || m.LastExitCode != 1 || m.LastExitUs != 10000 || len(m.RecentFaults) != 4 {
		t.Fatalf("metrics %+v", m)
	}
	// Pids are never reused.
	if pid, _ := s.Spawn(11*clock.Millisecond, 7, "again", 0, false); pid != 104 {
		t.Fatalf("new pid %d", pid)
	}
	r, _ := s.Record(7)
	// Events: 5 spawns, 4 exits, 4 violations (crashes, High).
	if r.Events != 13 || r.Violations != 4 || r.Risk != asm.High || r.Score() != 60 || asm.Status(r.Score()) != "NON_COMPLIANT" {
		t.Fatalf("record %+v score %d", r, r.Score())
	}
}

func TestCrashWithoutAutoRestartIsRemoved(t *testing.T) {
	s := newSup(t)
	s.Spawn(0, 1, "a", 0, false)
	ev, _ := s.Exit(0, 1, 3)
	if !reflect.DeepEqual(kinds(ev), []asm.EventKind{asm.EvExited, asm.EvFault}) {
		t.Fatalf("%+v", ev)
	}
	if _, ok := s.Agent(1); ok {
		t.Fatal("crashed agent without auto-restart kept")
	}
	s.Spawn(0, 2, "b", 0, true)
	if ev, _ := s.Exit(0, 2, 0); len(ev) != 1 || ev[0].Kind != asm.EvExited {
		t.Fatalf("clean exit: %+v", ev)
	}
	if _, ok := s.Agent(2); ok {
		t.Fatal("exit 0 must remove even with auto-restart")
	}
	if _, err := s.Exit(0, 2, 0); !errors.Is(err, asm.ErrNotFound) {
		t.Fatalf("exit unknown: %v", err)
	}
}

func TestKillNeverRestarts(t *testing.T) {
	s := newSup(t)
	s.Spawn(0, 5, "k", 0, true)
	ev, err := s.Kill(clock.Second, 5)
	want := []asm.Event{{Kind: asm.EvKilling, Agent: 5, PID: 100}, {Kind: asm.EvTerminated, Agent: 5}}
	if err != nil || !reflect.DeepEqual(ev, want) {
		t.Fatalf("kill: %+v %v", ev, err)
	}
	if _, ok := s.Agent(5); ok {
		t.Fatal("killed agent still listed")
	}
	if ev := run(s, 100*clock.Second); len(ev) != 0 {
		t.Fatalf("events after kill: %+v", ev)
	}
	if m, _ := s.Metrics(5); m.LastExitCode != asm.KillExitCode || m.Exits != 1 {
		t.Fatalf("metrics %+v", m)
	}
	if _, err := s.Kill(0, 5); !errors.Is(err, asm.ErrNotFound) {
		t.Fatal(err)
	}
}

func TestWatchdog(t *testing.T) {
	s := newSup(t)
	start := 500 * clock.Millisecond
	s.Spawn(start, 3, "idle", 0, false) // watchdog restarts without auto-restart
	// Idle strictly over 30 s is first seen at the check of t = 31 s.
	if ev := run(s, 30*clock.Second+start); len(ev) != 0 {
		t.Fatalf("early: %+v", ev)
	}
	ev := run(s, 31*clock.Second)
	want := []asm.Event{{Kind: asm.EvFault, Agent: 3, Fault: asm.FaultUnresponsive}, {Kind: asm.EvRestarting, Agent: 3, PID: 101, Attempt: 1, Max: 3}}
	if !reflect.DeepEqual(ev, want) {
		t.Fatalf("watchdog: %+v", ev)
	}
	// Activity keeps it alive.
	for sec := clock.Ticks(32); sec < 80; sec++ {
		s.Admit(sec*clock.Second+1, 3)
	}
	if ev := run(s, 80*clock.Second); len(ev) != 0 {
		t.Fatalf("active agent faulted: %+v", ev)
	}
	// Three restarts, then removal (limit applies to fault restarts too).
	ev = run(s, 400*clock.Second)
	if got := kinds(ev); !reflect.DeepEqual(got, []asm.EventKind{asm.EvFault, asm.EvRestarting, asm.EvFault, asm.EvRestarting, asm.EvFault, asm.EvMaxRestarts}) {
		t.Fatalf("watchdog sequence %v", got)
	}
	if _, ok := s.Agent(3); ok {
		t.Fatal("agent survived")
	}
	if _, ok := s.NextCheck(); ok {
		t.Fatal("health checks continue with no agent")
	}
}

func TestThrottleWindow(t *testing.T) {
	s := newSup(t)
	s.Spawn(0, 9, "busy", 0, false)
	base := 2 * clock.Second
	for i := range 1000 {
		if _, refused, _ := s.Admit(base+clock.Ticks(i)*100, 9); refused {
			t.Fatalf("call %d refused", i)
		}
	}
	reg, refused, ev := s.Admit(base+200_000, 9)
	if !reg || !refused || !reflect.DeepEqual(ev, []asm.Event{{Kind: asm.EvFault, Agent: 9, Fault: asm.FaultSyscallRate}}) {
		t.Fatalf("1001st call: %v %v %+v", reg, refused, ev)
	}
	if r, _ := s.Resources(base+200_000, 9); !r.Throttled || r.Rate != 1001 {
		t.Fatalf("resources %+v", r)
	}
	// Refused until the window ends, without new faults.
	if _, refused, ev := s.Admit(3*clock.Second-1, 9); !refused || len(ev) != 0 {
		t.Fatalf("late in window: %v %+v", refused, ev)
	}
	if _, refused, _ := s.Admit(3*clock.Second, 9); refused {
		t.Fatal("refused in the next window")
	}
	if r, _ := s.Resources(3*clock.Second, 9); r.Throttled || r.Rate != 1 || r.Syscalls != 1003 {
		t.Fatalf("after window %+v", r)
	}
	if _, ok := s.Agent(9); !ok {
		t.Fatal("throttle must not remove the agent")
	}
	if p, _ := s.Policy(9); p.Violations != 1 {
		t.Fatalf("policy %+v", p)
	}
}

func TestCPUQuotaAndMemory(t *testing.T) {
	s := newSup(t)
	s.Spawn(0, 1, "cpu", 0, false)
	if ev := s.Complete(10, 1, 600_000, true); len(ev) != 0 {
		t.Fatal(ev)
	}
	ev := s.Complete(20, 1, 400_001, false)
	if !reflect.DeepEqual(kinds(ev), []asm.EventKind{asm.EvFault}) || ev[0].Fault != asm.FaultCPU {
		t.Fatalf("cpu: %+v", ev)
	}
	if _, refused, _ := s.Admit(30, 1); !refused {
		t.Fatal("cpu-throttled call admitted")
	}
	p, _ := s.Profile(1)
	if p != (asm.Profile{Total: 2, OK: 1, Failed: 1, SumLatencyUs: 1_000_001, PeakLatencyUs: 600_000}) {
		t.Fatalf("profile %+v", p)
	}
	if err := s.ProfileReset(1); err != nil {
		t.Fatal(err)
	}
	if p, ok := s.Profile(1); !ok || p.Total != 0 {
		t.Fatal("reset")
	}
	if err := s.ProfileReset(42); !errors.Is(err, asm.ErrNoData) {
		t.Fatal(err)
	}
	s.SetMemory(1, 104_857_601)
	ev = run(s, clock.Second)
	if !reflect.DeepEqual(kinds(ev), []asm.EventKind{asm.EvFault, asm.EvKilling, asm.EvTerminated}) || ev[0].Fault != asm.FaultMemory {
		t.Fatalf("memory: %+v", ev)
	}
	r, _ := s.Record(1)
	if r.Risk != asm.High || r.Violations != 2 {
		t.Fatalf("record %+v", r)
	}
	if s.SetMemory(1, 0) == nil {
		t.Fatal("SetMemory on removed agent")
	}
}

func TestManualRestartAndPolicy(t *testing.T) {
	s := newSup(t)
	s.Spawn(0, 4, "r", frame.Caps(frame.FsBasic), false)
	for k := uint32(1); k <= 3; k++ {
		ev, err := s.Restart(clock.Ticks(k), 4)
		if err != nil || len(ev) != 1 || ev[0].Kind != asm.EvRestarting || ev[0].Attempt != k {
			t.Fatalf("restart %d: %+v %v", k, ev, err)
		}
	}
	if ev, _ := s.Restart(9, 4); len(ev) != 1 || ev[0].Kind != asm.EvMaxRestarts {
		t.Fatalf("4th restart: %+v", ev)
	}
	if _, err := s.Restart(9, 4); !errors.Is(err, asm.ErrNotFound) {
		t.Fatal(err)
	}
	s.Spawn(10, 4, "r", frame.Caps(frame.FsBasic), false)
	if n, err := s.PolicyUpdate(11, 4, frame.NetClient); n != 2 || err != nil {
		t.Fatalf("policy update %d %v", n, err)
	}
	if _, err := s.PolicyUpdate(11, 4, frame.NetClient); !errors.Is(err, asm.ErrHasCap) {
		t.Fatal(err)
	}
	if p, _ := s.Policy(4); p.PolicyChanges != 1 || p.Caps.Count() != 2 || p.MaxRestarts != 3 {
		t.Fatalf("policy %+v", p)
	}
	if ev := s.Violation(12, 4, asm.FaultCapability); !reflect.DeepEqual(kinds(ev), []asm.EventKind{asm.EvFault, asm.EvKilling, asm.EvTerminated}) {
		t.Fatalf("violation %+v", ev)
	}
}

func TestDependencies(t *testing.T) {
	s := newSup(t)
	for _, id := range []uint32{1, 2, 3} {
		s.Spawn(0, id, "d", 0, false)
	}
	if err := s.AddDependency(1, 2); err != nil {
		t.Fatal(err)
	}
	if err := s.AddDependency(2, 3); err != nil {
		t.Fatal(err)
	}
	if err := s.AddDependency(3, 1); !errors.Is(err, asm.ErrDependency) {
		t.Fatalf("cycle accepted: %v", err)
	}
	if err := s.AddDependency(1, 1); !errors.Is(err, asm.ErrDependency) {
		t.Fatal("self dependency accepted")
	}
	if err := s.AddDependency(1, 9); !errors.Is(err, asm.ErrNotFound) {
		t.Fatal(err)
	}
	on, by := s.Deps(2)
	if !reflect.DeepEqual(on, []uint32{3}) || !reflect.DeepEqual(by, []uint32{1}) {
		t.Fatalf("deps of 2: %v %v", on, by)
	}
	s.Kill(0, 3)
	if on, _ := s.Deps(2); len(on) != 0 {
		t.Fatalf("edge to removed agent kept: %v", on)
	}
}

func TestComplianceSummary(t *testing.T) {
	s := newSup(t)
	if c := s.Compliance(); c.SystemScore != 100 || c.TotalAgents != 0 {
		t.Fatalf("%+v", c)
	}
	s.Spawn(0, 1, "a", 0, false)
	s.Spawn(0, 2, "b", 0, false)
	s.Exit(0, 2, 5) // crash: High, 1 violation → 90
	c := s.Compliance()
	if c.TotalAgents != 2 || c.TotalEvents != 4 || c.PolicyViolations != 1 || c.SystemScore != 95 || c.ByRisk != [4]int{0, 1, 1, 0} {
		t.Fatalf("%+v", c)
	}
	for _, tc := range []struct {
		r    asm.Record
		want int
	}{{asm.Record{Violations: 11}, 0}, {asm.Record{Risk: asm.High, Violations: 2, Reviews: 1}, 90}, {asm.Record{}, 100}} {
		if tc.r.Score() != tc.want {
			t.Errorf("%+v: %d", tc.r, tc.r.Score())
		}
	}
	if asm.Status(90) != "COMPLIANT" || asm.Status(70) != "REVIEW_NEEDED" || asm.Status(69) != "NON_COMPLIANT" {
		t.Error("status thresholds")
	}
}

func TestGateway(t *testing.T) {
	s := newSup(t)
	g := s.Gateway()
	st := g.Stats()
	if st.Providers[asm.Local].HealthPct() != 100 || st.Providers[asm.Claude].HealthPct() != 0 {
		t.Fatal("initial health")
	}
	p, err := g.Route(asm.Claude, 10, 40)
	if err != nil || p != asm.Local {
		t.Fatalf("route %v %v", p, err)
	}
	g.Route(asm.Local, 5, 20)
	st = g.Stats()
	if st.Total != 2 || st.Successful != 2 || st.Fallback != 1 || st.Tokens != 15 || st.AvgResponseUs() != 30 ||
		st.Providers[asm.Claude].Failures != 1 || st.Providers[asm.GPT4].Failures != 1 || st.Providers[asm.Local].Successes != 2 {
		t.Fatalf("%+v", st)
	}
}
