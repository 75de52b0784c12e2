package dataflow

import "fmt"

// Pipeline builds the linear graph source → stages[0] → … → sink, one
// channel of the given capacity between neighbours, all operators at the
// default priority (so later stages win ties and items drain before new
// ones are made). The sink collects what reaches it; read it with
// g.SinkItems(sink). Operator ids are 0, 1, … in order. A nil source
// produces the default scalar items.
func Pipeline(opts Options, capacity uint32, source Func, stages ...Func) (g *Graph, sink int, err error) {
	g, err = New(opts)
	if err != nil {
		return nil, -1, err
	}
	for range len(stages) + 1 {
		if _, err := g.AddChannel(capacity); err != nil {
			return nil, -1, fmt.Errorf("dataflow: pipeline: %w", err)
		}
	}
	add := func(spec OperatorSpec) (int, error) {
		spec.Priority = DefaultPriority
		r, err := g.AddOperator(spec)
		if err != nil {
			return -1, fmt.Errorf("dataflow: pipeline: %w", err)
		}
		return r.Index, nil
	}
	if _, err := add(OperatorSpec{ID: 0, In: NoChannel, Out: 0, Fn: source}); err != nil {
		return nil, -1, err
	}
	for i, f := range stages {
		if _, err := add(OperatorSpec{ID: uint32(i + 1), In: uint16(i), Out: uint16(i + 1), Fn: f}); err != nil {
			return nil, -1, err
		}
	}
	sink, err = add(OperatorSpec{ID: uint32(len(stages) + 1), In: uint16(len(stages)), Out: NoChannel, Collect: true})
	if err != nil {
		return nil, -1, err
	}
	return g, sink, nil
}
