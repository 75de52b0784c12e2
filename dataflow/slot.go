package dataflow

import (
	"fmt"

	"github.com/sisemu/sisemu/sched/clock"
)

// Slot is the kernel's one global graph slot (dataflow.md §1): empty at
// boot, replaced by Create, emptied by Destroy (§7 row 2: the kernel keeps
// the graph; the reference empties the slot).
type Slot struct {
	g *Graph
}

// Graph returns the graph in the slot, nil when empty.
func (s *Slot) Graph() *Graph { return s.g }

// Create replaces the slot's graph with a new empty one.
func (s *Slot) Create(opts Options) (*Graph, error) {
	g, err := New(opts)
	if err != nil {
		return nil, fmt.Errorf("dataflow: create: %w", err)
	}
	s.g = g
	return g, nil
}

// Destroy empties the slot.
func (s *Slot) Destroy() { s.g = nil }

// Run runs up to n steps of the slot's graph (Graph.Run) and returns the
// number executed; with an empty slot it runs nothing and returns
// ErrNoGraph (§7 row 3).
func (s *Slot) Run(now clock.Ticks, n uint64, cost clock.Ticks) (RunResult, error) {
	if s.g == nil {
		return RunResult{}, ErrNoGraph
	}
	return s.g.Run(now, n, cost), nil
}
