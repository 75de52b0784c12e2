package sched

import (
	"errors"
	"fmt"
	"slices"

	"github.com/sisemu/sisemu/sched/clock"
)

// Default values of Options (sched.md §4.2, §2.2, §4.4).
const (
	// DefaultSliceNs is the slice length L: 1 ms.
	DefaultSliceNs = 1_000_000
	// DefaultSlots is how many servers one graph scheduler holds.
	DefaultSlots = 16
	// DefaultTraceCap is the size of the job trace ring.
	DefaultTraceCap = 1024
	// MaxPending bounds a server's backlog of released, unfinished jobs.
	// A server that gets no slices (its graph is never started) keeps
	// releasing jobs; without a bound a long real-time session would grow
	// without limit. At the bound the oldest pending job, long since
	// counted as a miss, is abandoned.
	MaxPending = 4096
)

// Sentinel errors. Callers map them to the kernel's lines; wrapped errors
// carry the offending values.
var (
	// ErrBadOptions reports an invalid Options value.
	ErrBadOptions = errors.New("sched: invalid options")
	// ErrSlotsFull reports an admission rejected because every slot is taken.
	ErrSlotsFull = errors.New("sched: no free server slot")
	// ErrBadParams reports an admission rejected because wcet is 0 or larger
	// than min(D, P) (the reference reading of sched.md Q9), because the
	// deadline is longer than the period (SCHED_DEADLINE requires
	// Q <= D <= P; §4.2's wake-up rule knows D = P and D < P only), or
	// because the period is shorter than a slice: such a server gets at
	// most one slice per slice length, so it can never keep up with its
	// releases (SCHED_DEADLINE likewise refuses periods below 100 µs).
	ErrBadParams = errors.New("sched: need 0 < wcet <= deadline <= period and the period at least a slice")
	// ErrOverBound reports an admission rejected by the utilisation bound.
	ErrOverBound = errors.New("sched: utilisation bound exceeded")
	// ErrNoServer reports a server id that does not exist.
	ErrNoServer = errors.New("sched: no such server")
	// ErrBadDemand reports a zero job demand.
	ErrBadDemand = errors.New("sched: demand must be > 0")
	// ErrSliceInProgress reports a dispatch before the previous slice ended.
	ErrSliceInProgress = errors.New("sched: slice in progress")
)

// Options configure a Scheduler. The zero value selects every default.
type Options struct {
	// SliceNs is the slice length L in ns; a positive multiple of 16 (one
	// tick). 0 means DefaultSliceNs.
	SliceNs uint64
	// BoundPPM is the inclusive utilisation bound; 0 means BoundPPM.
	BoundPPM uint32
	// Slots is the number of server slots; 0 means DefaultSlots.
	Slots int
	// TraceCap is the size of the job trace ring; 0 means DefaultTraceCap.
	TraceCap int
	// RecordEvents makes the scheduler keep an event log that the caller
	// drains with DrainEvents. Off, only counters and the trace are kept.
	RecordEvents bool
}

func (o Options) withDefaults() (Options, error) {
	if o.SliceNs == 0 {
		o.SliceNs = DefaultSliceNs
	}
	if o.SliceNs%clock.NsPerTick != 0 {
		return o, fmt.Errorf("%w: slice %d ns is not a multiple of %d ns", ErrBadOptions, o.SliceNs, clock.NsPerTick)
	}
	if o.BoundPPM == 0 {
		o.BoundPPM = BoundPPM
	}
	if o.Slots == 0 {
		o.Slots = DefaultSlots
	}
	if o.Slots < 0 {
		return o, fmt.Errorf("%w: slots %d", ErrBadOptions, o.Slots)
	}
	if o.TraceCap == 0 {
		o.TraceCap = DefaultTraceCap
	}
	if o.TraceCap < 0 {
		return o, fmt.Errorf("%w: trace capacity %d", ErrBadOptions, o.TraceCap)
	}
	return o, nil
}

// ServerState is what a CBS server is doing.
type ServerState uint8

// Server states as `det servers` prints them.
const (
	// StateIdle: no pending job and not throttled.
	StateIdle ServerState = iota
	// StateReady: a pending job, runtime left, waiting for the CPU.
	StateReady
	// StateRunning: holds the current slice.
	StateRunning
	// StateThrottled: runtime exhausted, waiting for its replenishment.
	StateThrottled
)

var stateNames = [...]string{"idle", "ready", "running", "throttled"}

// String returns the state's name as `det servers` prints it.
func (s ServerState) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("ServerState(%d)", uint8(s))
}

// EventKind says what happened in an Event.
type EventKind uint8

// Event kinds, in the order they are documented in doc.go.
const (
	// EventRelease: a job was released (K = job index).
	EventRelease EventKind = iota
	// EventDispatch: a slice was given to the server (Value = ns it uses).
	EventDispatch
	// EventComplete: a job finished (K = job index).
	EventComplete
	// EventMiss: a job was unfinished at its deadline (Value = misses so far).
	EventMiss
	// EventOverrun: a job ran past Q (Value = overruns so far).
	EventOverrun
	// EventThrottle: the server's runtime reached <= 0.
	EventThrottle
	// EventReplenish: the server's runtime was replenished.
	EventReplenish
	// EventDrop: the oldest pending job was abandoned because the server's
	// backlog reached MaxPending (K = job index, Value = drops so far).
	EventDrop
)

var eventNames = [...]string{"release", "dispatch", "complete", "miss", "overrun", "throttle", "replenish", "drop"}

// String returns the kind's name.
func (k EventKind) String() string {
	if int(k) < len(eventNames) {
		return eventNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", uint8(k))
}

// Event is one scheduling event, recorded when Options.RecordEvents is set.
type Event struct {
	Kind   EventKind
	Server int
	K      uint64 // job index where the kind has one
	AtNs   uint64 // when it happened
	Value  uint64 // kind-specific, see the kinds
}

// JobRecord is one job in the trace ring (sched.md §4.4). A record enters the
// ring at the earlier of the job's completion and its deadline miss; a missed
// job that completes later has StartSlice, FinishSlice and RuntimeNs brought
// up to date in place.
type JobRecord struct {
	Seq, K                uint64 // Seq numbers records from 1 in ring order
	Task                  uint32 // server id
	ReleaseNs, DeadlineNs uint64
	StartSlice            int64 // -1: never ran
	FinishSlice           int64 // -1: not finished
	RuntimeNs             uint64
	Missed                bool
}

// ServerStatus is a copy of one server's state.
type ServerStatus struct {
	ID            int
	QNs, DNs, PNs uint64
	DemandNs      uint64 // demand of later jobs
	RuntimeNs     int64  // may be negative after an overrun
	DeadlineNs    uint64 // scheduling deadline d (0 before the first job)
	State         ServerState
	Pending       int // jobs released and not finished
}

// Status is a copy of the scheduler's counters and servers.
type Status struct {
	Enabled  bool   // deterministic mode: a server was admitted since the last Off
	WCETNs   uint64 // WCET of the last admitted server
	UsedPPM  uint32
	BoundPPM uint32
	Accepted uint64
	Rejected uint64

	Overruns uint64 // jobs that ran past Q (`det status` misses=)
	Misses   uint64 // jobs unfinished at their deadline
	Dropped  uint64 // jobs abandoned by a full backlog (see MaxPending)

	JitterSamples uint64 // every sample ever taken
	MaxJitterNs   uint64 // over the last JitterWindow samples
	MeanJitterNs  uint64
	P99JitterNs   uint64

	AIInferences     uint64
	AIDeadlineMisses uint64
	AIAvgLatencyNs   uint64

	Servers []ServerStatus
}

// job is one released, unfinished job.
type job struct {
	k, rel, dl uint64
	demand     uint64
	exec       uint64
	start      int64
	seq        uint64 // trace record, 0 if not in the ring yet
	overrun    bool
	missed     bool
}

// server is one CBS server.
type server struct {
	q, d, p  uint64
	util     uint32
	demand   uint64
	demands  []uint64 // per-job demands by job index, then demand
	admit    uint64
	nextK    uint64
	nextRel  uint64
	dl       uint64 // scheduling deadline
	runtime  int64
	replAt   uint64
	jobs     []job
	head     int // jobs[head:] are pending
	check    int // jobs[check:] have not been checked against their deadline
	fresh    bool
	throttle bool
}

func (sv *server) pending() int { return len(sv.jobs) - sv.head }

// nextEvent is the server's earliest pending timer event. The deadline of
// the first unchecked job is computed rather than read: pending jobs are
// consecutive (job k+1 follows job k, both released on the period grid),
// so job jobs[check] is job nextK-(len(jobs)-check). Not touching the job
// array keeps a timer update to the server's own fields, which matters
// with thousands of servers.
func (sv *server) nextEvent() uint64 {
	t := sv.nextRel
	if n := len(sv.jobs) - sv.check; n > 0 {
		k := sv.nextK - uint64(n)
		if dl := sat(sat(sv.admit, mulSat(k, sv.p)), sv.d); dl < t {
			t = dl
		}
	}
	if sv.throttle && sv.replAt < t {
		t = sv.replAt
	}
	return t
}

// Scheduler is one CBS/EDF scheduler: admission, servers, the slice
// dispatcher, counters and the job trace. Not safe for concurrent use.
type Scheduler struct {
	opts Options
	adm  Admission

	enabled bool
	wcet    uint64
	now     uint64 // ns; everything up to now has been processed

	servers []server
	timers  timerHeap
	tpos    []int32 // server id -> position in timers
	ready   readyHeap

	running  int    // server holding the current slice, -1 none
	segStart uint64 // when the current slice (and its segment) began
	segEnd   uint64 // when its segment ends
	sliceEnd uint64 // when the current slice ends
	slice    int64  // index of the current slice

	overruns uint64
	misses   uint64
	dropped  uint64
	jitter   Jitter
	aiN      uint64
	aiMiss   uint64
	aiSum    uint64

	ring     []JobRecord
	nextSeq  uint64 // next record's Seq (from 1)
	firstSeq uint64 // records below it were cleared

	record  bool
	events  []Event
	nevents uint64
	bulkMin uint64 // AdvanceIdle's threshold (bulkMinEvents; tests lower it)
}

// New returns an empty scheduler with deterministic mode off.
func New(opts Options) (*Scheduler, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Scheduler{
		opts:     o,
		adm:      NewAdmission(o.BoundPPM, o.Slots),
		running:  -1,
		ring:     make([]JobRecord, o.TraceCap),
		nextSeq:  1,
		firstSeq: 1,
		record:   o.RecordEvents,
		bulkMin:  bulkMinEvents,
	}, nil
}

// SliceNs returns the slice length L.
func (s *Scheduler) SliceNs() uint64 { return s.opts.SliceNs }

// Enabled reports deterministic mode.
func (s *Scheduler) Enabled() bool { return s.enabled }

// NowNs returns the time up to which events have been processed.
func (s *Scheduler) NowNs() uint64 { return s.now }

// Admit runs admission for a server with runtime Q = wcetNs, period P and
// relative deadline D (D = P when deadlineNs is 0) at time now. The order of
// the checks is slots, parameters (0 < Q <= D <= P, P >= the slice
// length), utilisation; a rejection charges nothing
// and counts in Rejected. An admitted server gets the next id (its index),
// deterministic mode turns on, and its first job is released at now.
func (s *Scheduler) Admit(now clock.Ticks, wcetNs, periodNs, deadlineNs uint64) (int, error) {
	return s.AdmitWithDemands(now, wcetNs, periodNs, deadlineNs, nil)
}

// AdmitWithDemands is Admit for a server whose job k has the demand
// demandsNs[k] (jobs past the list: Q, or the SetDemand value). A zero
// demand is rejected before admission and counts nothing.
func (s *Scheduler) AdmitWithDemands(now clock.Ticks, wcetNs, periodNs, deadlineNs uint64, demandsNs []uint64) (int, error) {
	if slices.Contains(demandsNs, 0) {
		return -1, ErrBadDemand
	}
	s.Advance(now)
	d := deadlineNs
	if d == 0 {
		d = periodNs
	}
	util := UtilPPM(wcetNs, periodNs)
	switch {
	case s.adm.Slots > 0 && s.adm.Servers >= s.adm.Slots:
		s.adm.Rejected++
		return -1, fmt.Errorf("%w: %d of %d used", ErrSlotsFull, s.adm.Servers, s.adm.Slots)
	case wcetNs == 0 || wcetNs > d || d > periodNs || periodNs < s.opts.SliceNs:
		s.adm.Rejected++
		return -1, fmt.Errorf("%w: wcet %d ns, deadline %d ns, period %d ns, slice %d ns", ErrBadParams, wcetNs, d, periodNs, s.opts.SliceNs)
	case !s.adm.Admit(util):
		return -1, fmt.Errorf("%w: %d + %d > %d ppm", ErrOverBound, s.adm.UsedPPM, util, s.adm.BoundPPM)
	}
	id := len(s.servers)
	s.servers = append(s.servers, server{
		q: wcetNs, d: d, p: periodNs, util: util, demand: wcetNs,
		admit: s.now, nextRel: s.now, fresh: true, demands: slices.Clone(demandsNs),
	})
	s.timers.push(&s.tpos, s.servers[id].nextEvent(), id)
	s.enabled = true
	s.wcet = wcetNs
	s.Advance(now) // the first release is due now
	return id, nil
}

// Off leaves deterministic mode: every server is removed and its
// utilisation released (the reference reading of sched.md Q7). Accepted,
// Rejected, the counters and the trace are kept.
func (s *Scheduler) Off(now clock.Ticks) {
	s.Advance(now)
	s.enabled = false
	s.servers = s.servers[:0]
	s.timers = s.timers[:0]
	s.tpos = s.tpos[:0]
	s.ready = s.ready[:0]
	s.running = -1
	s.adm.UsedPPM = 0
	s.adm.Servers = 0
}

// SetDemand sets the execution demand of every job of server id released
// from now on (default Q). A demand above Q makes jobs overrun.
func (s *Scheduler) SetDemand(now clock.Ticks, id int, demandNs uint64) error {
	s.Advance(now)
	if id < 0 || id >= len(s.servers) {
		return fmt.Errorf("%w: id %d", ErrNoServer, id)
	}
	if demandNs == 0 {
		return ErrBadDemand
	}
	s.servers[id].demand = demandNs
	return nil
}

// ResetCounters zeroes overruns, misses, drops, jitter and the AI counters
// (the reference `det reset`, sched.md Q11).
func (s *Scheduler) ResetCounters() {
	s.overruns, s.misses, s.dropped = 0, 0, 0
	s.jitter.Reset()
	s.aiN, s.aiMiss, s.aiSum = 0, 0, 0
}

// RecordAIInference adds one AI inference of the given latency to the AI
// counters `det status` and `rtaivalidation` report.
func (s *Scheduler) RecordAIInference(latencyNs uint64, missed bool) {
	s.aiN++
	s.aiSum += latencyNs
	if missed {
		s.aiMiss++
	}
}

// Advance processes every event due at or before now: releases, deadline
// checks, replenishments and the end of the running segment, in time order
// (ties: the segment end first, then lower server id). Time never goes back.
func (s *Scheduler) Advance(now clock.Ticks) { s.advanceNs(now.Ns()) }

// NextDue returns the time of the earliest pending event, in ticks rounded
// up, so that advancing to it processes the event.
func (s *Scheduler) NextDue() (clock.Ticks, bool) {
	t, ok := s.nextDueNs()
	if !ok {
		return 0, false
	}
	return clock.Ticks((t + clock.NsPerTick - 1) / clock.NsPerTick), true
}

func (s *Scheduler) nextDueNs() (uint64, bool) {
	t := never
	if s.running >= 0 {
		t = s.segEnd
	}
	if len(s.timers) > 0 && s.timers[0].key < t {
		t = s.timers[0].key
	}
	return t, t != never
}

// never is the saturated end of time: an event whose time saturates there
// (a release or deadline beyond 2^64-1 ns) never falls due.
const never = ^uint64(0)

func (s *Scheduler) advanceNs(now uint64) {
	for {
		if s.running >= 0 && s.segEnd <= now && s.segEnd != never && (len(s.timers) == 0 || s.segEnd <= s.timers[0].key) {
			s.endSegment()
			continue
		}
		if len(s.timers) == 0 || s.timers[0].key > now || s.timers[0].key == never {
			break
		}
		id := s.timers[0].id
		s.serverEvents(id, s.timers[0].key)
	}
	if now > s.now {
		s.now = now
	}
}

// serverEvents processes server id's events due at t: deadline checks,
// then the replenishment, then the release.
func (s *Scheduler) serverEvents(id int, t uint64) {
	s.now = max(s.now, t)
	sv := &s.servers[id]
	for sv.check < len(sv.jobs) && sv.jobs[sv.check].dl <= t {
		s.miss(id, &sv.jobs[sv.check], t)
		sv.check++
	}
	if sv.throttle && sv.replAt <= t {
		s.replenish(id, sv, t)
	}
	if sv.nextRel <= t {
		s.release(id, sv, t)
	}
	s.timers.fix(s.tpos, id, sv.nextEvent())
}

func (s *Scheduler) miss(id int, j *job, t uint64) {
	j.missed = true
	s.misses++
	j.seq = s.enterRecord(JobRecord{
		K: j.k, Task: uint32(id), ReleaseNs: j.rel, DeadlineNs: j.dl,
		StartSlice: j.start, FinishSlice: -1, RuntimeNs: j.exec, Missed: true,
	})
	s.emit(EventMiss, id, j.k, t, s.misses)
}

func (s *Scheduler) replenish(id int, sv *server, t uint64) {
	sv.refill(t)
	s.emit(EventReplenish, id, 0, t, uint64(sv.runtime))
	if sv.pending() > 0 && s.running != id {
		s.ready.push(sv.dl, id)
	}
}

// refill is the replenishment at the end of a throttle, at t: the budget
// is topped up a period at a time, postponing the deadline, until it is
// positive; a deadline left behind restarts from t.
func (sv *server) refill(t uint64) {
	for sv.runtime <= 0 {
		sv.dl = sat(sv.dl, sv.p)
		sv.runtime += int64(sv.q)
	}
	if sv.dl < t {
		sv.dl = sat(t, sv.d)
		sv.runtime = int64(sv.q)
	}
	sv.throttle = false
}

// wake applies the SCHED_DEADLINE wake-up rule to a release at t into an
// idle, unthrottled server, and throttles the server when the rule leaves
// it no runtime. It reports whether it throttled.
func (sv *server) wake(t uint64) bool {
	switch {
	case sv.fresh:
		sv.fresh = false
		sv.dl = sat(t, sv.d)
		sv.runtime = int64(sv.q)
	case sv.dl < t:
		sv.dl = sat(t, sv.d)
		sv.runtime = int64(sv.q)
	case overflow(sv.runtime, sv.p, sv.dl-t, sv.q):
		if sv.d >= sv.p {
			sv.dl = sat(t, sv.d)
			sv.runtime = int64(sv.q)
		} else {
			sv.runtime = int64(mulDiv(sv.dl-t, sv.q, sv.d))
		}
	}
	if sv.runtime > 0 {
		return false
	}
	// The constrained-deadline rule can leave no runtime at all: the
	// server waits for its replenishment like any other.
	sv.throttle = true
	sv.replAt = max(sat(sv.dl, sv.p)-sv.d, t)
	return true
}

// release releases the server's next job at t and applies the
// SCHED_DEADLINE wake-up rule if the server was idle (sched.md §4.2).
func (s *Scheduler) release(id int, sv *server, t uint64) {
	idle := sv.pending() == 0 && !sv.throttle && s.running != id
	throttled := idle && sv.wake(t)
	if sv.pending() >= MaxPending && s.running != id {
		s.drop(id, sv, t)
	}
	sv.jobs = append(sv.jobs, job{k: sv.nextK, rel: t, dl: sat(t, sv.d), demand: sv.demandOf(sv.nextK), start: -1})
	s.emit(EventRelease, id, sv.nextK, t, 0)
	sv.nextK++
	sv.nextRel = sat(sv.admit, mulSat(sv.nextK, sv.p))
	switch {
	case throttled:
		s.emit(EventThrottle, id, 0, t, sv.replAt)
	case idle:
		s.ready.push(sv.dl, id)
	}
}

// demandOf is the demand of job k.
func (sv *server) demandOf(k uint64) uint64 {
	if k < uint64(len(sv.demands)) {
		return sv.demands[k]
	}
	return sv.demand
}

// drop abandons the server's oldest pending job (it never ran to
// completion and never will): its miss is counted first if its deadline
// has not been checked yet.
func (s *Scheduler) drop(id int, sv *server, t uint64) {
	j := &sv.jobs[sv.head]
	if sv.check == sv.head {
		s.miss(id, j, t)
		sv.check++
	}
	s.dropped++
	s.emit(EventDrop, id, j.k, t, s.dropped)
	sv.head++
	if sv.head*2 >= len(sv.jobs) {
		n := copy(sv.jobs, sv.jobs[sv.head:])
		sv.jobs = sv.jobs[:n]
		sv.check -= sv.head
		sv.head = 0
	}
}

// Dispatch starts the slice that begins at now: it processes the events
// due by then, gives the slice to the eligible server with the earliest
// scheduling deadline (ties: lower id) and returns that server's id and the
// ns of the slice it will use (its job's remaining demand, at most L), or
// -1 when no server is eligible. The slice's remaining events are processed
// by the next Advance or Dispatch at or after now + L.
func (s *Scheduler) Dispatch(now clock.Ticks) (id int, usedNs uint64, err error) {
	t := now.Ns()
	if s.running >= 0 && t < s.sliceEnd {
		return -1, 0, fmt.Errorf("%w: until %d ns", ErrSliceInProgress, s.sliceEnd)
	}
	return s.dispatchNs(t)
}

func (s *Scheduler) dispatchNs(t uint64) (int, uint64, error) {
	s.advanceNs(t)
	s.slice = int64(t / s.opts.SliceNs)
	s.segStart = t
	s.sliceEnd = sat(t, s.opts.SliceNs)
	if len(s.ready) == 0 {
		return -1, 0, nil
	}
	id := s.ready.pop()
	sv := &s.servers[id]
	j := &sv.jobs[sv.head]
	used := min(s.opts.SliceNs, j.demand-j.exec)
	if j.start < 0 {
		j.start = s.slice
	}
	s.running = id
	s.segEnd = sat(t, used)
	s.emit(EventDispatch, id, j.k, t, used)
	return id, used, nil
}

// endSegment accounts the running server's segment at its end: runtime,
// overrun, completion, throttling.
func (s *Scheduler) endSegment() {
	id := s.running
	t := s.segEnd
	s.now = max(s.now, t)
	s.running = -1
	sv := &s.servers[id]
	j := &sv.jobs[sv.head]
	used := t - s.segStart
	j.exec += used
	sv.runtime -= int64(used)
	if j.exec > sv.q && !j.overrun {
		j.overrun = true
		s.overruns++
		s.emit(EventOverrun, id, j.k, t, s.overruns)
	}
	if j.exec >= j.demand {
		s.complete(id, sv, j, t)
	}
	switch {
	case sv.runtime <= 0:
		sv.throttle = true
		sv.replAt = max(sat(sv.dl, sv.p)-sv.d, t)
		s.emit(EventThrottle, id, 0, t, sv.replAt)
	case sv.pending() > 0:
		s.ready.push(sv.dl, id)
	}
	s.timers.fix(s.tpos, id, sv.nextEvent())
}

func (s *Scheduler) complete(id int, sv *server, j *job, t uint64) {
	jit := j.exec - sv.q
	if j.exec < sv.q {
		jit = sv.q - j.exec
	}
	s.jitter.Add(jit)
	if j.seq != 0 {
		if r := s.lookup(j.seq); r != nil {
			r.StartSlice = j.start
			r.FinishSlice = s.slice
			r.RuntimeNs = j.exec
		}
	} else {
		s.enterRecord(JobRecord{
			K: j.k, Task: uint32(id), ReleaseNs: j.rel, DeadlineNs: j.dl,
			StartSlice: j.start, FinishSlice: s.slice, RuntimeNs: j.exec,
		})
	}
	s.emit(EventComplete, id, j.k, t, j.exec)
	if sv.check == sv.head {
		sv.check++
	}
	sv.head++
	if sv.head == len(sv.jobs) {
		sv.jobs = sv.jobs[:0]
		sv.head, sv.check = 0, 0
	} else if sv.head >= 64 && sv.head*2 >= len(sv.jobs) {
		n := copy(sv.jobs, sv.jobs[sv.head:])
		sv.jobs = sv.jobs[:n]
		sv.check -= sv.head
		sv.head = 0
	}
}

func (s *Scheduler) emit(k EventKind, id int, jk, at, v uint64) {
	s.nevents++
	if s.record {
		s.events = append(s.events, Event{Kind: k, Server: id, K: jk, AtNs: at, Value: v})
	}
}

// EventCount is the number of scheduling events processed so far (every
// kind of Event, recorded or not).
func (s *Scheduler) EventCount() uint64 { return s.nevents }

// DrainEvents appends the recorded events to dst, oldest first, forgets
// them and returns dst.
func (s *Scheduler) DrainEvents(dst []Event) []Event {
	dst = append(dst, s.events...)
	s.events = s.events[:0]
	return dst
}

func (s *Scheduler) enterRecord(r JobRecord) uint64 {
	if len(s.ring) == 0 {
		s.nextSeq++
		return s.nextSeq - 1
	}
	r.Seq = s.nextSeq
	s.ring[(r.Seq-1)%uint64(len(s.ring))] = r
	s.nextSeq++
	return r.Seq
}

func (s *Scheduler) lookup(seq uint64) *JobRecord {
	if len(s.ring) == 0 || seq < s.firstSeq {
		return nil
	}
	r := &s.ring[(seq-1)%uint64(len(s.ring))]
	if r.Seq != seq {
		return nil
	}
	return r
}

// Trace appends the records in the ring to dst, oldest first.
func (s *Scheduler) Trace(dst []JobRecord) []JobRecord {
	lo := s.firstSeq
	if c := uint64(len(s.ring)); s.nextSeq-lo > c {
		lo = s.nextSeq - c
	}
	for seq := lo; seq < s.nextSeq; seq++ {
		dst = append(dst, s.ring[(seq-1)%uint64(len(s.ring))])
	}
	return dst
}

// TraceLen is the number of records in the ring.
func (s *Scheduler) TraceLen() int {
	return int(min(s.nextSeq-s.firstSeq, uint64(len(s.ring))))
}

// ClearTrace empties the ring; record numbering continues.
func (s *Scheduler) ClearTrace() { s.firstSeq = s.nextSeq }

// Status returns a copy of the counters and servers at the last processed time.
func (s *Scheduler) Status() Status {
	st := Status{
		Enabled: s.enabled, WCETNs: s.wcet,
		UsedPPM: s.adm.UsedPPM, BoundPPM: s.adm.BoundPPM,
		Accepted: s.adm.Accepted, Rejected: s.adm.Rejected,
		Overruns: s.overruns, Misses: s.misses, Dropped: s.dropped,
		JitterSamples: s.jitter.Total, MaxJitterNs: s.jitter.Max(),
		MeanJitterNs: s.jitter.Mean(), P99JitterNs: s.jitter.P99(),
		AIInferences: s.aiN, AIDeadlineMisses: s.aiMiss,
	}
	if s.aiN > 0 {
		st.AIAvgLatencyNs = s.aiSum / s.aiN
	}
	st.Servers = make([]ServerStatus, len(s.servers))
	for i := range s.servers {
		sv := &s.servers[i]
		state := StateIdle
		switch {
		case s.running == i:
			state = StateRunning
		case sv.throttle:
			state = StateThrottled
		case sv.pending() > 0:
			state = StateReady
		}
		st.Servers[i] = ServerStatus{
			ID: i, QNs: sv.q, DNs: sv.d, PNs: sv.p, DemandNs: sv.demand,
			RuntimeNs: sv.runtime, DeadlineNs: sv.dl, State: state, Pending: sv.pending(),
		}
	}
	return st
}

// overflow is the CBS wake-up test runtime/(d-now) > Q/P, i.e.
// runtime·P > (d-now)·Q, in 128 bits.
func overflow(runtime int64, p, rel, q uint64) bool {
	if runtime <= 0 {
		return false
	}
	ah, al := mul128(uint64(runtime), p)
	bh, bl := mul128(rel, q)
	return ah > bh || (ah == bh && al > bl)
}

// RunSlices runs n slices back to back, the first starting at start, and
// processes the events up to the end of the last one. Slices in which no
// server is eligible are skipped in one step up to the next event, which
// changes nothing observable: an idle slice dispatches nothing. It returns
// the number of slices that ran a server.
func (s *Scheduler) RunSlices(start clock.Ticks, n uint64) (busy uint64) {
	L := s.opts.SliceNs
	t := start.Ns()
	end := sat(t, mulSat(n, L))
	for t < end {
		id, _, _ := s.dispatchNs(t)
		if id >= 0 {
			busy++
			t += L
			continue
		}
		// Idle: jump to the slice boundary at or after the next event.
		next, ok := s.nextDueNs()
		if !ok || next >= end {
			break
		}
		if next <= t {
			t += L
			continue
		}
		t += (next - t + L - 1) / L * L
	}
	s.advanceNs(end)
	return busy
}
