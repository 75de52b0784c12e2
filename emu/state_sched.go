package emu

import "github.com/sisemu/sisemu/sched/clock"

// schedState is the machine's glue to the graph and LLM schedulers (det,
// rtaivalidation, temporaliso, phase3validation).
//
// The methods below are the seam the dataflow glue (graphctl) calls; their
// owner is the scheduler work.
type schedState struct{}

// init builds the subsystem for a fresh machine; seed is its child seed.
func (s *schedState) init(m *Machine, seed uint64) error {
	_, _ = m, seed
	return nil
}

// resetForNewGraph gives a freshly created graph a fresh graph scheduler
// (sched.md §1.2: the only release of utilisation in the kernel).
func (s *schedState) resetForNewGraph(now clock.Ticks) { _ = now }

// graphAdmit runs admission for `graphctl det` (dataflow.md §3.6) and
// reports whether the server was admitted.
func (s *schedState) graphAdmit(now clock.Ticks, wcetNs, periodNs, deadlineNs uint64) bool {
	_, _, _, _ = now, wcetNs, periodNs, deadlineNs
	return false
}

// detOn reports whether deterministic mode is on for the graph.
func (s *schedState) detOn() bool { return false }

// runDetSlices runs `graphctl start n` in deterministic mode: n slices, each
// dispatched by EDF; a slice run by a graph server executes one operator
// through m.dataflow.stepOne.
func (s *schedState) runDetSlices(m *Machine, c *Ctx, n uint32) { _, _, _ = m, c, n }
