package emu

import (
	"github.com/sisemu/sisemu/sched"
	"github.com/sisemu/sisemu/sched/clock"
)

// schedState is the machine's glue to the graph scheduler (det,
// rtaivalidation, temporaliso, phase3validation) and the predictive
// scheduler of schedctl.
//
// The graph scheduler belongs to the current graph: graphctl create gives
// it a fresh one (resetForNewGraph). Inside `graphctl start` in
// deterministic mode its events fall due with the machine clock
// (nextDue/fire), so misses and overruns print their METRIC lines where
// they happen among the operators' trace lines. Outside a run nothing of
// it prints and nothing else reads it, so it is brought up to the machine
// time lazily, whenever it is read (sync): an idle stretch of any length
// is then one arithmetic step (sched.AdvanceIdle), not one event at a time.
type schedState struct {
	m     *Machine
	graph *sched.Scheduler
	// inRun is set while runDetSlices runs: scheduler events print.
	inRun bool
	evbuf []sched.Event
	// npuJobs is the last NPU job id handed out by phase3validation.
	npuJobs uint64
	pred    predState
}

// init builds the subsystem for a fresh machine; seed is its child seed.
func (s *schedState) init(m *Machine, seed uint64) error {
	_ = seed // the scheduler makes no random choices
	s.m = m
	s.pred = newPredState()
	return nil
}

// newGraphScheduler returns the graph scheduler of a fresh graph (sched.md
// §1.2: 850,000 ppm, 16 slots, counters 0, det off, WCET 0).
func newGraphScheduler() *sched.Scheduler {
	g, err := sched.New(sched.Options{RecordEvents: true})
	if err != nil {
		panic(err) // default options are valid
	}
	return g
}

// active returns the scheduler of the current graph, brought up to the
// machine time, or nil without a graph.
func (s *schedState) active() *sched.Scheduler {
	if !s.m.dataflow.hasGraph() {
		return nil
	}
	if s.graph == nil {
		s.graph = newGraphScheduler()
	}
	s.sync()
	return s.graph
}

// sync brings the graph scheduler up to the machine time. Outside a run
// no slice executes, so the idle path applies; its events are not printed.
func (s *schedState) sync() {
	if s.graph == nil {
		return
	}
	if s.inRun {
		s.graph.Advance(s.m.Now())
	} else {
		s.graph.AdvanceIdle(s.m.Now())
	}
	s.discardEvents()
}

// resetForNewGraph gives a freshly created graph a fresh graph scheduler
// (sched.md §1.2: the only release of utilisation in the kernel).
func (s *schedState) resetForNewGraph(now clock.Ticks) {
	s.graph = newGraphScheduler()
	s.graph.Advance(now)
}

// graphAdmit runs admission for `graphctl det` (dataflow.md §3.6) on the
// same scheduler as `det on`, and reports whether the server was admitted.
func (s *schedState) graphAdmit(now clock.Ticks, wcetNs, periodNs, deadlineNs uint64) bool {
	g := s.active()
	if g == nil {
		return false
	}
	_, err := g.Admit(now, wcetNs, periodNs, deadlineNs)
	s.discardEvents()
	return err == nil
}

// detOn reports whether deterministic mode is on for the graph.
func (s *schedState) detOn() bool {
	g := s.active()
	return g != nil && g.Enabled()
}

// runDetSlices runs `graphctl start n` in deterministic mode: n slices of L
// back to back from now (the clock passes n·L; idle slices included). Each
// slice is dispatched by EDF; a slice given to a graph server executes one
// runnable operator through m.dataflow.stepOne, with the slice time the
// server uses as its modelled cost. Misses and overruns print
// `METRIC deterministic_deadline_miss_count=<n>` / `METRIC det_overrun_count=<n>`
// in the order they happen. Like the run outside det mode, it stops early
// once the command's output reaches the limit (divergence C5).
func (s *schedState) runDetSlices(m *Machine, c *Ctx, n uint32) {
	g := s.active()
	if g == nil {
		return
	}
	s.inRun = true
	defer func() { s.inRun = false }()
	L := clock.FromNs(g.SliceNs())
	for left := uint64(n); left > 0; {
		if c.Exhausted() {
			// Divergence C5: a busy det graph prints ~130 bytes a slice.
			c.Printf("[SISEMU] output limit reached: run stopped after %d of %d steps", uint64(n)-left, n)
			break
		}
		t0 := c.Now()
		id, used, err := g.Dispatch(t0)
		if err != nil {
			// Only possible if time went back; nothing runs in this slice.
			id = -1
		}
		s.printEvents(c)
		k := uint64(1)
		if id >= 0 {
			m.dataflow.stepOne(c, clock.FromNs(used))
		} else {
			// Idle: nothing can become eligible before the scheduler's next
			// event, so the idle slices up to the boundary at or after it
			// pass in one step. The clock still fires every event on the
			// way in time order; the output is that of slice-by-slice.
			k = left
			if due, ok := g.NextDue(); ok && due > t0 {
				k = min(left, (uint64(due-t0)+uint64(L)-1)/uint64(L))
			}
		}
		c.AdvanceTo(t0.Add(clock.Ticks(k) * L))
		g.Advance(c.Now())
		s.printEvents(c)
		left -= k
	}
}

// nextDue reports the graph scheduler's next event during a deterministic
// run (timerSource); outside one the scheduler is synced lazily.
func (s *schedState) nextDue() (clock.Ticks, bool) {
	if !s.inRun || s.graph == nil {
		return 0, false
	}
	return s.graph.NextDue()
}

// fire processes the graph scheduler's events due by now (timerSource).
func (s *schedState) fire(now clock.Ticks, c *Ctx) {
	if s.graph == nil {
		return
	}
	s.graph.Advance(now)
	s.printEvents(c)
}

// printEvents drains the scheduler's events; inside a deterministic run
// the misses and overruns print their METRIC lines.
func (s *schedState) printEvents(c *Ctx) {
	if s.graph == nil {
		return
	}
	s.evbuf = s.graph.DrainEvents(s.evbuf[:0])
	if !s.inRun {
		return
	}
	for _, e := range s.evbuf {
		switch e.Kind {
		case sched.EventMiss:
			c.Metric("deterministic_deadline_miss_count", e.Value)
		case sched.EventOverrun:
			c.Metric("det_overrun_count", e.Value)
		}
	}
}

func (s *schedState) discardEvents() {
	if s.graph != nil {
		s.evbuf = s.graph.DrainEvents(s.evbuf[:0])
	}
}

// ScheduleTrace returns a copy of the current graph scheduler's job trace
// ring, oldest first (sched.md §4.4); nil without a graph scheduler.
func (m *Machine) ScheduleTrace() []sched.JobRecord {
	if m.sched.graph == nil {
		return nil
	}
	m.sched.active()
	return m.sched.graph.Trace(nil)
}

// ScheduleStatus returns a copy of the current graph scheduler's status,
// and false without a graph scheduler.
func (m *Machine) ScheduleStatus() (sched.Status, bool) {
	if m.sched.graph == nil {
		return sched.Status{}, false
	}
	m.sched.active()
	return m.sched.graph.Status(), true
}
