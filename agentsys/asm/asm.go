// Package asm is the Agent Supervision Module: supervised simulated agent
// processes with pids, a lifecycle and a restart policy, per-agent limits
// checked on the virtual clock, telemetry, EU AI Act compliance records,
// a profiler, a dependency graph and the cloud gateway's statistics
// (agentsys.md §5, §6).
//
// The supervisor is a plain state machine. Time enters as clock.Ticks
// arguments; the caller (package emu) runs HealthCheck whenever NextCheck
// falls due and prints the returned events. Nothing here prints.
package asm

import (
	"errors"
	"fmt"
	"slices"

	"github.com/sisemu/sisemu/agentsys/frame"
	"github.com/sisemu/sisemu/sched/clock"
)

// Sentinel errors.
var (
	ErrExists     = errors.New("asm: agent already exists")
	ErrNotFound   = errors.New("asm: agent not found")
	ErrHasCap     = errors.New("asm: capability already granted")
	ErrDependency = errors.New("asm: dependency would form a cycle")
	ErrNoData     = errors.New("asm: no data for agent")
)

// Limits are the per-agent resource limits (§5.3). Zero means unlimited.
type Limits struct {
	// CPUQuotaUs is the CPU time allowed per 1 s window, in µs.
	CPUQuotaUs uint64
	// MemoryBytes is the memory limit.
	MemoryBytes uint64
	// SyscallRate is the number of calls allowed per 1 s window.
	SyscallRate uint64
	// WatchdogUs is the idle time after which an agent is unresponsive.
	WatchdogUs uint64
}

// DefaultLimits returns the limits every agent gets (§5.3).
func DefaultLimits() Limits {
	return Limits{CPUQuotaUs: 1_000_000, MemoryBytes: 104_857_600, SyscallRate: 1000, WatchdogUs: 30_000_000}
}

// DefaultMaxRestarts is max_restarts of a new agent.
const DefaultMaxRestarts = 3

// KillExitCode is the exit code recorded for an agent the supervisor
// terminates (kill, fault action Kill, and the instance a restart replaces).
const KillExitCode = 137

// Window is the length of a rate and quota window, and the health-check period.
const Window = clock.Second

// never is the saturated end of time: a check or window end that would lie
// beyond 2^64−1 ticks saturates there and never falls due (as the
// scheduler's events do) instead of wrapping to a time always due.
const never = clock.Ticks(^uint64(0))

// nextWindow is the start of the window after the one holding t, or never
// when that start lies beyond the end of time.
func nextWindow(t clock.Ticks) clock.Ticks {
	n := t/Window + 1
	if n > never/Window {
		return never
	}
	return n * Window
}

// Fault is something the fault detector noticed.
type Fault uint8

// The faults of §5.3.
const (
	FaultCPU Fault = iota + 1
	FaultMemory
	FaultSyscallRate
	FaultUnresponsive
	FaultCrash
	FaultCapability
	FaultPolicy
)

var faultText = [...]string{"", "CPU quota exceeded", "Memory limit exceeded", "Syscall rate limit exceeded",
	"Agent unresponsive", "Agent crashed", "Capability violation", "Policy violation"}

// String is the kernel's fault text.
func (f Fault) String() string {
	if int(f) < len(faultText) && f != 0 {
		return faultText[f]
	}
	return fmt.Sprintf("Fault(%d)", uint8(f))
}

// Action is what the supervisor does about a fault.
type Action uint8

// Fault actions.
const (
	Throttle Action = iota + 1
	Kill
	Restart
)

// ActionFor is the fixed fault → action table of §5.3.
func ActionFor(f Fault) Action {
	switch f {
	case FaultCPU, FaultSyscallRate:
		return Throttle
	case FaultUnresponsive, FaultCrash:
		return Restart
	}
	return Kill
}

// Risk is an EU AI Act risk level.
type Risk uint8

// Risk levels, lowest first.
const (
	Minimal Risk = iota
	Limited
	High
	Unacceptable
)

// String is the level's name.
func (r Risk) String() string {
	return [...]string{"Minimal", "Limited", "High", "Unacceptable"}[r&3]
}

// Severity is the risk level of the PolicyViolation a fault logs: crashes
// and memory faults are High, the rest Limited (§5.2).
func (f Fault) Severity() Risk {
	if f == FaultCrash || f == FaultMemory {
		return High
	}
	return Limited
}

// EventKind says what an Event reports.
type EventKind uint8

// Event kinds, each one console line in package emu.
const (
	// EvExited: the agent exited with Code.
	EvExited EventKind = iota + 1
	// EvFault: Fault was detected.
	EvFault
	// EvRestarting: restart Attempt of Max is under way (new PID).
	EvRestarting
	// EvMaxRestarts: a restart was due but the limit was reached; removed.
	EvMaxRestarts
	// EvKilling: the supervisor is terminating PID.
	EvKilling
	// EvTerminated: the agent was terminated and removed.
	EvTerminated
)

// Event is one supervisor happening, in the order it happened.
type Event struct {
	Kind    EventKind
	Agent   uint32
	PID     uint32
	Code    int32
	Fault   Fault
	Attempt uint32
	Max     uint32
}

// ComplianceKind is the kind of a compliance event.
type ComplianceKind uint8

// Compliance event kinds.
const (
	AgentSpawned ComplianceKind = iota + 1
	AgentExited
	PolicyViolation
	PolicyChanged
)

// ComplianceEvent is one entry of the compliance log.
type ComplianceEvent struct {
	Kind     ComplianceKind
	Agent    uint32
	TimeUs   uint64
	Ops      uint64 // AgentExited: the agent's calls
	Severity Risk   // PolicyViolation
	Fault    Fault  // PolicyViolation
}

// Options configure a Supervisor.
type Options struct {
	// Limits apply to every agent; nil means DefaultLimits().
	Limits *Limits
	// MaxRestarts is max_restarts of new agents; 0 means DefaultMaxRestarts.
	MaxRestarts uint32
	// FirstPID is the first pid handed out; 0 means 100.
	FirstPID uint32
}

// Agent is a copy of one supervised agent's metadata.
type Agent struct {
	ID           uint32
	PID          uint32
	Name         string
	Caps         frame.Caps
	AutoRestart  bool
	MaxRestarts  uint32
	RestartCount uint32
	SpawnTime    clock.Ticks
	LastActivity clock.Ticks
	Active       bool
}

type agent struct {
	Agent
	throttledUntil clock.Ticks
	window         uint64 // index of the current 1 s window
	winCalls       uint64
	winCPU         uint64
	memory         uint64
	cpuUs          uint64
	syscalls       uint64
	policyChanges  uint32
	violations     uint32
	deps           []uint32
}

// Metrics is the telemetry of one agent id; it outlives the agent.
type Metrics struct {
	Spawns, Exits, Faults uint64
	CPUTimeUs             uint64
	MemoryBytes           uint64
	Syscalls              uint64
	LastSpawnUs           uint64
	LastExitUs            uint64
	LastExitCode          int32
	// RecentFaults are the newest faults (at most 10), oldest first.
	RecentFaults []Fault
}

// Telemetry is the system-wide counters.
type Telemetry struct {
	Spawns, Exits, Faults, Restarts uint64
	Active                          uint64
	Syscalls                        uint64
}

// Resources is the resource monitor's view of an active agent.
type Resources struct {
	CPUTimeUs   uint64
	MemoryBytes uint64
	Syscalls    uint64
	// Rate is the calls made in the current window.
	Rate      uint64
	Throttled bool
}

// Profile is the profiler's summary of one agent's calls.
type Profile struct {
	Total, OK, Failed uint64
	SumLatencyUs      uint64
	PeakLatencyUs     uint64
}

// Record is one agent's compliance record; it outlives the agent.
type Record struct {
	Agent      uint32
	Risk       Risk
	Events     uint64
	Violations uint64
	Reviews    uint64
	Ops        uint64
}

// Score is the record's compliance percentage (§6.2).
func (r Record) Score() int {
	s := 100 - 10*int64(min(r.Violations, 100))
	if r.Risk >= High && r.Reviews > 0 {
		s += 10
	}
	return int(max(0, min(100, s)))
}

// Status is the word for a score.
func Status(score int) string {
	switch {
	case score >= 90:
		return "COMPLIANT"
	case score >= 70:
		return "REVIEW_NEEDED"
	}
	return "NON_COMPLIANT"
}

// Policy is the policy controller's view of an active agent.
type Policy struct {
	Caps          frame.Caps
	AutoRestart   bool
	MaxRestarts   uint32
	Violations    uint32
	PolicyChanges uint32
}

// Supervisor is the Agent Supervision Module.
type Supervisor struct {
	limits      Limits
	maxRestarts uint32
	nextPID     uint32

	agents   map[uint32]*agent
	metrics  map[uint32]*Metrics
	profiles map[uint32]*Profile
	records  map[uint32]*Record
	log      []ComplianceEvent
	tele     Telemetry
	gateway  Gateway

	nextCheck clock.Ticks
}

// New builds a supervisor with no agents.
func New(o Options) (*Supervisor, error) {
	s := &Supervisor{
		limits:      DefaultLimits(),
		maxRestarts: DefaultMaxRestarts,
		nextPID:     100,
		agents:      map[uint32]*agent{},
		metrics:     map[uint32]*Metrics{},
		profiles:    map[uint32]*Profile{},
		records:     map[uint32]*Record{},
		gateway:     newGateway(),
	}
	if o.Limits != nil {
		s.limits = *o.Limits
	}
	if o.MaxRestarts != 0 {
		s.maxRestarts = o.MaxRestarts
	}
	if o.FirstPID != 0 {
		s.nextPID = o.FirstPID
	}
	return s, nil
}

// Limits returns the limits every agent gets.
func (s *Supervisor) Limits() Limits { return s.limits }

func us(t clock.Ticks) uint64 { return t.Us() }

func (s *Supervisor) comply(ev ComplianceEvent) {
	s.log = append(s.log, ev)
	r := s.records[ev.Agent]
	if r == nil {
		return
	}
	r.Events++
	if ev.Kind == PolicyViolation {
		r.Violations++
		// A violation of higher severity raises the agent's risk level.
		r.Risk = max(r.Risk, ev.Severity)
	}
}

// start launches a new instance of a (spawn or restart).
func (s *Supervisor) start(now clock.Ticks, a *agent) {
	a.PID = s.nextPID
	s.nextPID++
	a.SpawnTime, a.LastActivity, a.Active = now, now, true
	a.throttledUntil, a.winCalls, a.winCPU, a.window = 0, 0, 0, uint64(now/Window)
	m := s.metrics[a.ID]
	m.Spawns++
	m.LastSpawnUs = us(now)
	s.tele.Spawns++
	s.tele.Active++
	s.comply(ComplianceEvent{Kind: AgentSpawned, Agent: a.ID, TimeUs: us(now)})
	if s.tele.Active == 1 && s.nextCheck <= now {
		s.nextCheck = nextWindow(now)
	}
}

// Spawn registers and starts an agent; it returns its pid.
func (s *Supervisor) Spawn(now clock.Ticks, id uint32, name string, caps frame.Caps, autoRestart bool) (uint32, error) {
	if _, ok := s.agents[id]; ok {
		return 0, fmt.Errorf("asm: spawn %d: %w", id, ErrExists)
	}
	a := &agent{Agent: Agent{ID: id, Name: name, Caps: caps, AutoRestart: autoRestart, MaxRestarts: s.maxRestarts}}
	s.agents[id] = a
	if s.metrics[id] == nil {
		s.metrics[id] = &Metrics{}
	}
	if s.profiles[id] == nil {
		s.profiles[id] = &Profile{}
	}
	if s.records[id] == nil {
		s.records[id] = &Record{Agent: id, Risk: Limited}
	}
	s.start(now, a)
	return a.PID, nil
}

// stop ends the running instance: exits +1, active −1.
func (s *Supervisor) stop(now clock.Ticks, a *agent, code int32) {
	a.Active = false
	m := s.metrics[a.ID]
	m.Exits++
	m.LastExitUs = us(now)
	m.LastExitCode = code
	s.tele.Exits++
	s.tele.Active--
	s.comply(ComplianceEvent{Kind: AgentExited, Agent: a.ID, TimeUs: us(now), Ops: s.records[a.ID].Ops})
}

// remove forgets a stopped agent and its edges in the dependency graph.
func (s *Supervisor) remove(a *agent) {
	delete(s.agents, a.ID)
	for _, o := range s.agents {
		o.deps = slices.DeleteFunc(o.deps, func(d uint32) bool { return d == a.ID })
	}
}

// restart starts a new instance of a stopped agent if the restart limit
// allows, else removes it (Failed).
func (s *Supervisor) restart(now clock.Ticks, a *agent) []Event {
	if a.RestartCount >= a.MaxRestarts {
		s.remove(a)
		return []Event{{Kind: EvMaxRestarts, Agent: a.ID}}
	}
	a.RestartCount++
	s.tele.Restarts++
	s.start(now, a)
	return []Event{{Kind: EvRestarting, Agent: a.ID, PID: a.PID, Attempt: a.RestartCount, Max: a.MaxRestarts}}
}

func (s *Supervisor) kill(now clock.Ticks, a *agent) []Event {
	ev := []Event{{Kind: EvKilling, Agent: a.ID, PID: a.PID}, {Kind: EvTerminated, Agent: a.ID}}
	s.stop(now, a, KillExitCode)
	s.remove(a)
	return ev
}

// noteFault records f against a: telemetry, recent faults, compliance.
func (s *Supervisor) noteFault(now clock.Ticks, a *agent, f Fault) Event {
	m := s.metrics[a.ID]
	m.Faults++
	m.RecentFaults = append(m.RecentFaults, f)
	if len(m.RecentFaults) > 10 {
		m.RecentFaults = slices.Delete(m.RecentFaults, 0, len(m.RecentFaults)-10)
	}
	s.tele.Faults++
	a.violations++
	s.comply(ComplianceEvent{Kind: PolicyViolation, Agent: a.ID, TimeUs: us(now), Severity: f.Severity(), Fault: f})
	return Event{Kind: EvFault, Agent: a.ID, Fault: f}
}

// fault records f against a and applies its action.
func (s *Supervisor) fault(now clock.Ticks, a *agent, f Fault) []Event {
	ev := []Event{s.noteFault(now, a, f)}
	switch ActionFor(f) {
	case Throttle:
		a.throttledUntil = nextWindow(now)
	case Kill:
		ev = append(ev, s.kill(now, a)...)
	case Restart:
		if f != FaultCrash { // a crashed instance has already stopped
			s.stop(now, a, KillExitCode)
		}
		ev = append(ev, s.restart(now, a)...)
	}
	return ev
}

// Kill terminates an agent (exit code 137); it is never restarted.
func (s *Supervisor) Kill(now clock.Ticks, id uint32) ([]Event, error) {
	a, ok := s.agents[id]
	if !ok {
		return nil, fmt.Errorf("asm: kill %d: %w", id, ErrNotFound)
	}
	return s.kill(now, a), nil
}

// Restart replaces the running instance by a new one (new pid), within
// max_restarts; past the limit the agent is removed.
func (s *Supervisor) Restart(now clock.Ticks, id uint32) ([]Event, error) {
	a, ok := s.agents[id]
	if !ok {
		return nil, fmt.Errorf("asm: restart %d: %w", id, ErrNotFound)
	}
	s.stop(now, a, KillExitCode)
	return s.restart(now, a), nil
}

// Exit reports that the agent's process exited with code. Code 0 removes
// it; any other code is a crash (§5.2): restarted while auto_restart is set
// and the limit allows, else removed.
func (s *Supervisor) Exit(now clock.Ticks, id uint32, code int32) ([]Event, error) {
	a, ok := s.agents[id]
	if !ok {
		return nil, fmt.Errorf("asm: exit %d: %w", id, ErrNotFound)
	}
	ev := []Event{{Kind: EvExited, Agent: id, Code: code}}
	s.stop(now, a, code)
	if code == 0 {
		s.remove(a)
		return ev, nil
	}
	ev = append(ev, s.noteFault(now, a, FaultCrash))
	if !a.AutoRestart {
		s.remove(a)
		return ev, nil
	}
	return append(ev, s.restart(now, a)...), nil
}

// throttled reports whether a's calls are refused at now: until the end of
// the window of its throttling fault, for ever if that window is the last.
func (a *agent) throttled(now clock.Ticks) bool {
	return now < a.throttledUntil || a.throttledUntil == never
}

// roll moves a's rate and quota window to the one holding now.
func (a *agent) roll(now clock.Ticks) {
	if w := uint64(now / Window); w != a.window {
		a.window, a.winCalls, a.winCPU = w, 0, 0
	}
}

// Admit is called for every AgentSys call by agent id, before the policy
// check. It touches the agent (last activity, syscalls) and reports whether
// the call must be refused because the agent is throttled; the call that
// pushes the agent over its syscall rate is refused too. registered is
// false when id is not a supervised agent (nothing happens then).
func (s *Supervisor) Admit(now clock.Ticks, id uint32) (registered, refused bool, ev []Event) {
	if len(s.agents) == 0 {
		return false, false, nil
	}
	a, ok := s.agents[id]
	if !ok {
		return false, false, nil
	}
	a.roll(now)
	a.LastActivity = now
	a.syscalls++
	a.winCalls++
	s.metrics[id].Syscalls++
	s.records[id].Ops++
	s.tele.Syscalls++
	if a.throttled(now) {
		return true, true, nil
	}
	if s.limits.SyscallRate > 0 && a.winCalls > s.limits.SyscallRate {
		return true, true, s.fault(now, a, FaultSyscallRate)
	}
	return true, false, nil
}

// Complete records the outcome of an admitted call: a profiler sample and
// its CPU time, which may exceed the CPU quota (fault, throttle).
func (s *Supervisor) Complete(now clock.Ticks, id uint32, durUs uint64, ok bool) []Event {
	p := s.profiles[id]
	a, active := s.agents[id]
	if p == nil || !active {
		return nil
	}
	p.Total++
	if ok {
		p.OK++
	} else {
		p.Failed++
	}
	p.SumLatencyUs += durUs
	p.PeakLatencyUs = max(p.PeakLatencyUs, durUs)
	a.roll(now)
	a.cpuUs += durUs
	a.winCPU += durUs
	s.metrics[id].CPUTimeUs += durUs
	if s.limits.CPUQuotaUs > 0 && a.winCPU > s.limits.CPUQuotaUs && !a.throttled(now) {
		return s.fault(now, a, FaultCPU)
	}
	return nil
}

// Violation reports a capability or policy violation by agent id (a call
// the AgentSys policy denied); the action is Kill.
func (s *Supervisor) Violation(now clock.Ticks, id uint32, f Fault) []Event {
	a, ok := s.agents[id]
	if !ok {
		return nil
	}
	return s.fault(now, a, f)
}

// SetMemory reports an agent's memory use; the next health check compares
// it with the limit.
func (s *Supervisor) SetMemory(id uint32, bytes uint64) error {
	a, ok := s.agents[id]
	if !ok {
		return fmt.Errorf("asm: memory %d: %w", id, ErrNotFound)
	}
	a.memory = bytes
	s.metrics[id].MemoryBytes = bytes
	return nil
}

// NextCheck is when the next health check is due; ok is false while no
// agent is supervised (nothing to check).
func (s *Supervisor) NextCheck() (clock.Ticks, bool) {
	return s.nextCheck, s.tele.Active > 0 && s.nextCheck != never
}

// HealthCheck runs the checks due at or before now, one per simulated
// second: watchdog (idle strictly over the limit → restart) and memory
// (over the limit → kill), agents in id order.
func (s *Supervisor) HealthCheck(now clock.Ticks) []Event {
	var ev []Event
	for s.tele.Active > 0 && s.nextCheck != never && s.nextCheck <= now {
		at := s.nextCheck
		s.nextCheck = nextWindow(at)
		for _, id := range s.ids() {
			a := s.agents[id]
			if a == nil || !a.Active {
				continue
			}
			a.roll(at)
			if s.limits.MemoryBytes > 0 && a.memory > s.limits.MemoryBytes {
				ev = append(ev, s.fault(at, a, FaultMemory)...)
				continue
			}
			if s.limits.WatchdogUs > 0 && at >= a.LastActivity && us(at-a.LastActivity) > s.limits.WatchdogUs {
				ev = append(ev, s.fault(at, a, FaultUnresponsive)...)
			}
		}
	}
	return ev
}

func (s *Supervisor) ids() []uint32 {
	out := make([]uint32, 0, len(s.agents))
	for id := range s.agents {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// PolicyUpdate grants capability c to agent id and returns the new count.
func (s *Supervisor) PolicyUpdate(now clock.Ticks, id uint32, c frame.Capability) (int, error) {
	a, ok := s.agents[id]
	if !ok {
		return 0, fmt.Errorf("asm: policy-update %d: %w", id, ErrNotFound)
	}
	if a.Caps.Has(c) {
		return a.Caps.Count(), fmt.Errorf("asm: policy-update %d %s: %w", id, c, ErrHasCap)
	}
	a.Caps = a.Caps.With(c)
	a.policyChanges++
	s.comply(ComplianceEvent{Kind: PolicyChanged, Agent: id, TimeUs: us(now)})
	return a.Caps.Count(), nil
}

// AddDependency records that agent id depends on agent dep; both must be
// supervised and the edge must not close a cycle.
func (s *Supervisor) AddDependency(id, dep uint32) error {
	a, ok := s.agents[id]
	if !ok {
		return fmt.Errorf("asm: depend %d: %w", id, ErrNotFound)
	}
	if _, ok := s.agents[dep]; !ok {
		return fmt.Errorf("asm: depend on %d: %w", dep, ErrNotFound)
	}
	if slices.Contains(a.deps, dep) {
		return nil
	}
	if id == dep || s.reaches(dep, id) {
		return fmt.Errorf("asm: depend %d on %d: %w", id, dep, ErrDependency)
	}
	a.deps = append(a.deps, dep)
	slices.Sort(a.deps)
	return nil
}

// reaches reports whether from depends, directly or not, on to.
func (s *Supervisor) reaches(from, to uint32) bool {
	seen := map[uint32]bool{}
	stack := []uint32{from}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == to {
			return true
		}
		if seen[n] {
			continue
		}
		seen[n] = true
		if a := s.agents[n]; a != nil {
			stack = append(stack, a.deps...)
		}
	}
	return false
}

// Deps returns what id depends on and what depends on id, both ascending.
func (s *Supervisor) Deps(id uint32) (on, by []uint32) {
	if a := s.agents[id]; a != nil {
		on = slices.Clone(a.deps)
	}
	for _, o := range s.ids() {
		if slices.Contains(s.agents[o].deps, id) {
			by = append(by, o)
		}
	}
	return on, by
}

// Agent returns a copy of a supervised agent.
func (s *Supervisor) Agent(id uint32) (Agent, bool) {
	a, ok := s.agents[id]
	if !ok {
		return Agent{}, false
	}
	return a.Agent, true
}

// Agents returns all supervised agents in id order.
func (s *Supervisor) Agents() []Agent {
	ids := s.ids()
	out := make([]Agent, len(ids))
	for i, id := range ids {
		out[i] = s.agents[id].Agent
	}
	return out
}

// Telemetry returns the system-wide counters.
func (s *Supervisor) Telemetry() Telemetry { return s.tele }

func sortedKeys[V any](m map[uint32]V) []uint32 {
	out := make([]uint32, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// MetricIDs lists the ids with telemetry, ascending.
func (s *Supervisor) MetricIDs() []uint32 { return sortedKeys(s.metrics) }

// Metrics returns the telemetry of id (which may have been removed).
func (s *Supervisor) Metrics(id uint32) (Metrics, bool) {
	m, ok := s.metrics[id]
	if !ok {
		return Metrics{}, false
	}
	c := *m
	c.RecentFaults = slices.Clone(m.RecentFaults)
	return c, true
}

// Resources returns the resource monitor's view of an active agent.
func (s *Supervisor) Resources(now clock.Ticks, id uint32) (Resources, bool) {
	a, ok := s.agents[id]
	if !ok {
		return Resources{}, false
	}
	r := Resources{CPUTimeUs: a.cpuUs, MemoryBytes: a.memory, Syscalls: a.syscalls, Throttled: a.throttled(now)}
	if uint64(now/Window) == a.window {
		r.Rate = a.winCalls
	}
	return r, true
}

// Profile returns the profiler's summary of id.
func (s *Supervisor) Profile(id uint32) (Profile, bool) {
	p, ok := s.profiles[id]
	if !ok {
		return Profile{}, false
	}
	return *p, true
}

// ProfileReset clears the samples of id.
func (s *Supervisor) ProfileReset(id uint32) error {
	p, ok := s.profiles[id]
	if !ok {
		return fmt.Errorf("asm: profile-reset %d: %w", id, ErrNoData)
	}
	*p = Profile{}
	return nil
}

// ProfileResetAll clears every agent's samples.
func (s *Supervisor) ProfileResetAll() {
	for _, p := range s.profiles {
		*p = Profile{}
	}
}

// RecordIDs lists the ids with a compliance record, ascending.
func (s *Supervisor) RecordIDs() []uint32 { return sortedKeys(s.records) }

// Record returns id's compliance record.
func (s *Supervisor) Record(id uint32) (Record, bool) {
	r, ok := s.records[id]
	if !ok {
		return Record{}, false
	}
	return *r, true
}

// ComplianceLog returns a copy of every compliance event, oldest first.
func (s *Supervisor) ComplianceLog() []ComplianceEvent { return slices.Clone(s.log) }

// Compliance summarises the compliance log (§6.2).
type Compliance struct {
	TotalAgents      int
	TotalEvents      int
	PolicyViolations int
	// SystemScore is the floor of the mean record score (100 with none).
	SystemScore int
	// ByRisk counts records per risk level.
	ByRisk [4]int
}

// Compliance returns the report's summary figures.
func (s *Supervisor) Compliance() Compliance {
	c := Compliance{TotalAgents: len(s.records), TotalEvents: len(s.log), SystemScore: 100}
	for _, e := range s.log {
		if e.Kind == PolicyViolation {
			c.PolicyViolations++
		}
	}
	sum := 0
	for _, r := range s.records {
		sum += r.Score()
		c.ByRisk[r.Risk&3]++
	}
	if len(s.records) > 0 {
		c.SystemScore = sum / len(s.records)
	}
	return c
}

// Policy returns the policy of an active agent.
func (s *Supervisor) Policy(id uint32) (Policy, bool) {
	a, ok := s.agents[id]
	if !ok {
		return Policy{}, false
	}
	return Policy{Caps: a.Caps, AutoRestart: a.AutoRestart, MaxRestarts: a.MaxRestarts,
		Violations: a.violations, PolicyChanges: a.policyChanges}, true
}

// Gateway returns the cloud gateway.
func (s *Supervisor) Gateway() *Gateway { return &s.gateway }
