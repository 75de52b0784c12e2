package emu

import "github.com/sisemu/sisemu/sched/clock"

// dataflowState is the machine's glue to the dataflow graph (graphctl,
// ctlhex, ctlkey).
//
// hasGraph and stepOne are the seam the scheduler glue calls in
// deterministic mode; their owner is the dataflow work.
type dataflowState struct{}

// init builds the subsystem for a fresh machine; seed is its child seed.
func (s *dataflowState) init(m *Machine, seed uint64) error {
	_, _ = m, seed
	return nil
}

// hasGraph reports whether a graph exists.
func (s *dataflowState) hasGraph() bool { return false }

// stepOne executes one graph step (dataflow.md §5.3): selects the runnable
// operator, prints its trace lines into c, runs it with the given modelled
// cost, and reports whether anything ran.
func (s *dataflowState) stepOne(c *Ctx, cost clock.Ticks) bool {
	_, _ = c, cost
	return false
}
