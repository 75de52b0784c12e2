package dataflow

import (
	"fmt"

	"github.com/sisemu/sisemu/dataflow/tensor"
	"github.com/sisemu/sisemu/sched/clock"
)

// Kernel limits and defaults (dataflow.md §1, §3.3, §5.6).
const (
	// NoChannel marks a missing in/out channel; it is also how index 65535
	// travels in a frame (§7 row 19).
	NoChannel uint16 = 0xFFFF
	// KernelMaxOperators is the kernel's operator limit per graph.
	KernelMaxOperators = 32
	// KernelMaxChannels is the kernel's channel limit per graph.
	KernelMaxChannels = 16
	// MaxCapacity is the largest channel capacity.
	MaxCapacity = 65535
	// DefaultPriority is the priority of an operator added without --prio.
	DefaultPriority = 10
	// DefaultCost is the modelled duration of one operator run outside
	// deterministic mode: 64 ticks = 1,024 ns (§5.6).
	DefaultCost clock.Ticks = 64
)

// Stage is an operator's pipeline stage (informative; it does not change
// scheduling).
type Stage uint8

// Stages, numbered as on the wire.
const (
	StageAcquire Stage = iota // 0
	StageClean                // 1
	StageExplore              // 2
	StageModel                // 3
	StageExplain              // 4
	// StageNone is what a frame's stage byte above 4 decodes to.
	StageNone Stage = 0xFF
)

// String returns the stage's lower-case name, or "none".
func (s Stage) String() string {
	switch s {
	case StageAcquire:
		return "acquire"
	case StageClean:
		return "clean"
	case StageExplore:
		return "explore"
	case StageModel:
		return "model"
	case StageExplain:
		return "explain"
	}
	return "none"
}

// ParseStage maps the exact lower-case stage names to stages.
func ParseStage(s string) (Stage, bool) {
	for st := StageAcquire; st <= StageExplain; st++ {
		if st.String() == s {
			return st, true
		}
	}
	return StageNone, false
}

// Options configure a graph. The zero value gives the kernel's limits.
type Options struct {
	// MaxOperators limits the operator count (0: 32, at most 4096).
	MaxOperators int
	// MaxChannels limits the channel count (0: 16, at most 65535).
	MaxChannels int
	// DefaultCost is the modelled cost of a run when neither the caller nor
	// the operator gives one (0: 64 ticks).
	DefaultCost clock.Ticks
	// OperatorsHint is `graphctl create --num-operators N`: kept for the
	// API, never a limit (§7 row 1).
	OperatorsHint int
	// FailedKeep is how many failed items are kept for inspection (0: 64);
	// all are counted.
	FailedKeep int
}

// OperatorSpec describes an operator to add.
type OperatorSpec struct {
	// ID is the operator's id; duplicates are allowed (§7 row 14).
	ID uint32
	// In and Out are channel indexes or NoChannel. An index at or beyond
	// the channel count is accepted (with a warning) and keeps the operator
	// unrunnable until that channel exists (§5.1, §7 row 13).
	In, Out uint16
	// Priority: higher runs first; ties go to the later-added operator.
	Priority uint8
	// Stage is informative.
	Stage Stage
	// InSchema and OutSchema are schema ids, 0 = none.
	InSchema, OutSchema uint32
	// Typed selects typed admission (§3.3): channel schema binding and
	// mismatch rejection.
	Typed bool
	// Fn is the operator's function; nil is identity (transform), the
	// default scalar item (source), discard (sink).
	Fn Func
	// Cost, when non-zero, is the modelled duration of one run when the
	// caller does not impose one (Step with cost 0).
	Cost clock.Ticks
	// Collect makes a sink keep the items it consumes (read them with
	// SinkItems).
	Collect bool
}

// AddResult tells what AddOperator found, including the warnings the
// kernel prints before inserting.
type AddResult struct {
	// Index is the new operator's position in insertion order (-1 if not
	// added).
	Index int
	// InOOR and OutOOR: the in/out index is at or beyond the channel count.
	InOOR, OutOOR bool
}

// DepthTrace is one `[TRACE] ch_depth` a step reports: the channel's depth
// differs from the depth last traced for it.
type DepthTrace struct {
	Channel uint16
	Depth   uint32
}

// StepResult is what one step did (§5.3).
type StepResult struct {
	// Index is the operator's insertion index; Op its id.
	Index int
	Op    uint32
	// Traces are the depth changes to print before the run, in order (in
	// channel, then out channel); only Traces[:NTraces] are valid.
	Traces  [2]DepthTrace
	NTraces int
	// Cost is the modelled duration of the run.
	Cost clock.Ticks
	// Err is the operator function's error, if it failed (the item went to
	// the failed list).
	Err error
}

// FailedItem is an item whose operator function returned an error.
type FailedItem struct {
	Item Item
	Op   uint32
	Err  error
}

// Operator kinds, fixed at insertion (§5.5).
const (
	kindNoop uint8 = iota
	kindSource
	kindSink
	kindTransform
	// Fast paths: no function (and, for a sink, not collecting).
	kindGen
	kindDrop
	kindMove
)

// selEntry is an operator's entry in the selection order, with the two
// fields the runnable test needs kept inline.
type selEntry struct {
	// in and out are the operator's channels for the runnable test: a
	// missing channel is the graph's always-ready sentinel, an index at or
	// beyond the channel count the never-ready one, so the test is two
	// compares without branches on nil. Rebuilt by relink whenever
	// channels or operators are added.
	in, out *channel
	op      *operator
	idx     int32
}

type operator struct {
	kind uint8
	// cost is the run cost when the caller imposes none.
	cost      clock.Ticks
	inC, outC *channel
	spec      OperatorSpec
	runs      uint64
	itemsIn   uint64
	itemsOut  uint64
	stalls    uint64
	errors    uint64
	lat       latency
	sink      []Item
}

// Graph is one dataflow graph: channels, operators and the items flowing
// between them. Not safe for concurrent use; a machine owns one.
type Graph struct {
	opts  Options
	chans []channel
	ops   []operator
	// order lists operator indexes by priority (high first), ties by
	// insertion (later first): the first runnable one is the selection of
	// §5.2.
	order []selEntry
	nfull int
	// ready is never empty and never full; blocked is empty and full.
	ready, blocked channel // channels at capacity; stalls are only possible when > 0

	seq        uint64
	mismatches uint64
	produced   uint64
	consumed   uint64
	failedN    uint64
	steps      uint64
	failed     []FailedItem

	// tensors holds the tensors of items in flight; slot.tref indexes it
	// (entry 0 unused). freeT lists reusable entries.
	tensors []*tensor.Tensor
	freeT   []uint32
}

// New returns an empty graph.
func New(opts Options) (*Graph, error) {
	if opts.MaxOperators == 0 {
		opts.MaxOperators = KernelMaxOperators
	}
	if opts.MaxChannels == 0 {
		opts.MaxChannels = KernelMaxChannels
	}
	if opts.DefaultCost == 0 {
		opts.DefaultCost = DefaultCost
	}
	if opts.FailedKeep == 0 {
		opts.FailedKeep = 64
	}
	if opts.MaxOperators < 0 || opts.MaxOperators > 4096 || opts.MaxChannels < 0 ||
		opts.MaxChannels > int(NoChannel) || opts.OperatorsHint < 0 || opts.FailedKeep < 0 {
		return nil, fmt.Errorf("%w: %+v", ErrOptions, opts)
	}
	g := &Graph{opts: opts}
	g.ready = channel{n: 1, capacity: ^uint32(0)}
	return g, nil
}

// Options returns the options the graph was built with (defaults filled).
func (g *Graph) Options() Options { return g.opts }

// NumChannels returns the channel count.
func (g *Graph) NumChannels() int { return len(g.chans) }

// NumOperators returns the operator count.
func (g *Graph) NumOperators() int { return len(g.ops) }

// AddChannel adds a channel of the given capacity and returns its index.
func (g *Graph) AddChannel(capacity uint32) (uint16, error) {
	if capacity < 1 || capacity > MaxCapacity {
		return 0, fmt.Errorf("%w: got %d", ErrCapacity, capacity)
	}
	if len(g.chans) >= g.opts.MaxChannels {
		return 0, fmt.Errorf("%w: %d channels", ErrChannelLimit, len(g.chans))
	}
	g.chans = append(g.chans, newChannel(capacity))
	g.relink()
	return uint16(len(g.chans) - 1), nil
}

// AddOperator adds an operator. Order of checks (dataflow.md §3.3, §5.6):
// the out-of-range warnings are computed first, then the operator limit,
// then — typed only — schema admission, out channel before in channel.
// Schemas are bound only when the whole add is accepted (§7 row 12). On
// error nothing changes except the schema mismatch counter.
func (g *Graph) AddOperator(spec OperatorSpec) (AddResult, error) {
	nch := len(g.chans)
	res := AddResult{
		Index:  -1,
		InOOR:  spec.In != NoChannel && int(spec.In) >= nch,
		OutOOR: spec.Out != NoChannel && int(spec.Out) >= nch,
	}
	if len(g.ops) >= g.opts.MaxOperators {
		return res, fmt.Errorf("%w: %d operators", ErrOperatorLimit, len(g.ops))
	}
	type bind struct {
		ch     uint16
		schema uint32
	}
	var binds [2]bind
	nb := 0
	slot := func(ch uint16) uint32 {
		for _, b := range binds[:nb] {
			if b.ch == ch {
				return b.schema
			}
		}
		return g.chans[ch].schema
	}
	if spec.Typed {
		check := func(out bool, ch uint16, schema uint32) error {
			if ch == NoChannel || schema == 0 {
				return nil
			}
			if int(ch) >= nch {
				return &SchemaError{Out: out, OutOfRange: true, Channel: ch, Mismatches: g.mismatches}
			}
			switch s := slot(ch); s {
			case 0:
				binds[nb] = bind{ch, schema}
				nb++
			case schema:
			default:
				g.mismatches++
				return &SchemaError{Out: out, Channel: ch, Mismatches: g.mismatches}
			}
			return nil
		}
		if err := check(true, spec.Out, spec.OutSchema); err != nil {
			return res, err
		}
		if err := check(false, spec.In, spec.InSchema); err != nil {
			return res, err
		}
	}
	for _, b := range binds[:nb] {
		g.chans[b.ch].schema = b.schema
	}
	kind := kindTransform
	switch {
	case spec.In == NoChannel && spec.Out == NoChannel:
		kind = kindNoop
	case spec.In == NoChannel:
		kind = kindSource
	case spec.Out == NoChannel:
		kind = kindSink
	}
	switch {
	case spec.Fn != nil:
	case kind == kindSource:
		kind = kindGen
	case kind == kindSink && !spec.Collect:
		kind = kindDrop
	case kind == kindTransform:
		kind = kindMove
	}
	cost := spec.Cost
	if cost == 0 {
		cost = g.opts.DefaultCost
	}
	g.ops = append(g.ops, operator{kind: kind, cost: cost, spec: spec})
	idx := len(g.ops) - 1
	// Insert into the selection order: before the first entry with a
	// lower-or-equal priority (the new operator is the latest, so it wins
	// ties).
	pos := len(g.order)
	for i, e := range g.order {
		if g.ops[e.idx].spec.Priority <= spec.Priority {
			pos = i
			break
		}
	}
	g.order = append(g.order, selEntry{})
	copy(g.order[pos+1:], g.order[pos:])
	g.order[pos] = selEntry{idx: int32(idx)}
	g.relink()
	res.Index = idx
	return res, nil
}

// Mismatches returns the schema mismatch counter (METRIC
// schema_mismatch_count).
func (g *Graph) Mismatches() uint64 { return g.mismatches }

// runnable is §5.1.
func (g *Graph) runnable(sp *OperatorSpec) bool {
	if sp.In != NoChannel && (int(sp.In) >= len(g.chans) || g.chans[sp.In].n == 0) {
		return false
	}
	if sp.Out != NoChannel {
		if int(sp.Out) >= len(g.chans) {
			return false
		}
		if c := &g.chans[sp.Out]; c.n >= c.capacity {
			return false
		}
	}
	return true
}

// Runnable reports whether the operator at insertion index i is runnable.
func (g *Graph) Runnable(i int) bool {
	return i >= 0 && i < len(g.ops) && g.runnable(&g.ops[i].spec)
}

// Next returns the insertion index of the operator the next step would run
// (§5.2), or -1 when nothing is runnable.
func (g *Graph) Next() int {
	if e := g.next(); e != nil {
		return int(e.idx)
	}
	return -1
}

func (g *Graph) next() *selEntry {
	for i := range g.order {
		e := &g.order[i]
		if e.in.n != 0 && e.out.n < e.out.capacity {
			return e
		}
	}
	return nil
}

// relink refreshes the channel pointers of the operators and of the
// selection order (the channel slice may have moved, or a missing channel
// may now exist).
func (g *Graph) relink() {
	for i := range g.ops {
		op := &g.ops[i]
		op.inC, op.outC = nil, nil
		if ch := op.spec.In; ch != NoChannel && int(ch) < len(g.chans) {
			op.inC = &g.chans[ch]
		}
		if ch := op.spec.Out; ch != NoChannel && int(ch) < len(g.chans) {
			op.outC = &g.chans[ch]
		}
	}
	for i := range g.order {
		e := &g.order[i]
		op := &g.ops[e.idx]
		e.op, e.in, e.out = op, &g.ready, &g.ready
		sp := &op.spec
		switch {
		case sp.In != NoChannel && op.inC == nil, sp.Out != NoChannel && op.outC == nil:
			e.in = &g.blocked
		default:
			if op.inC != nil {
				e.in = op.inC
			}
			if op.outC != nil {
				e.out = op.outC
			}
		}
	}
}

// Step runs one step (§5.3) at time now: selects the operator, reports the
// channel depths to trace, runs the operator and records its metrics. cost
// is the caller's modelled duration (deterministic mode: the slice time the
// server used); 0 means the operator's own Cost, else the graph default.
// It reports false, changing nothing, when no
// operator is runnable. Step does not keep time: the caller advances its
// clock by res.Cost.
func (g *Graph) Step(now, cost clock.Ticks) (res StepResult, ok bool) {
	ok = g.StepInto(now, cost, &res)
	return res, ok
}

// StepInto is Step writing its result into *res (overwritten entirely),
// for callers stepping in a tight loop.
func (g *Graph) StepInto(now, cost clock.Ticks, res *StepResult) bool {
	e := g.next()
	if e == nil {
		return false
	}
	op := e.op
	res.Index, res.Op, res.NTraces = int(e.idx), op.spec.ID, 0
	if c := op.inC; c != nil && c.n != c.traced {
		c.traced = c.n
		res.Traces[0] = DepthTrace{op.spec.In, c.n}
		res.NTraces = 1
	}
	if c := op.outC; c != nil && c.n != c.traced {
		c.traced = c.n
		res.Traces[res.NTraces] = DepthTrace{op.spec.Out, c.n}
		res.NTraces++
	}
	res.Cost, res.Err = g.exec(op, int(e.idx), now, cost)
	return true
}

// exec runs the selected operator: stall accounting, metrics, effect.
func (g *Graph) exec(op *operator, idx int, now, cost clock.Ticks) (clock.Ticks, error) {
	if g.nfull > 0 {
		g.countStalls(idx)
	}
	if cost == 0 {
		cost = op.cost
	}
	op.runs++
	op.lat.add(uint64(cost) * clock.NsPerTick)
	g.steps++
	switch op.kind {
	case kindMove:
		op.itemsIn++
		op.itemsOut++
		src, dst := op.inC, op.outC
		if src.n == src.capacity {
			g.nfull--
		}
		if dst.n == uint32(len(dst.buf)) {
			dst.grow()
		}
		d := &dst.buf[(dst.head+dst.n)&dst.mask]
		*d = src.buf[src.head&src.mask]
		if op.spec.OutSchema != 0 {
			d.schema = op.spec.OutSchema
		}
		src.head = (src.head + 1) & src.mask
		src.n--
		src.dequeued++
		g.commitC(dst)
	case kindGen:
		seq := g.seq
		g.seq++
		g.produced++
		op.itemsOut++
		dst := op.outC
		if dst.n == uint32(len(dst.buf)) {
			dst.grow()
		}
		d := &dst.buf[(dst.head+dst.n)&dst.mask]
		d.lineage, d.born, d.scalar = seq, uint64(now), float32(seq)
		d.schema, d.tref, d.quality = op.spec.OutSchema, 0, DefaultQuality
		g.commitC(dst)
	case kindDrop:
		op.itemsIn++
		src := op.inC
		if src.n == src.capacity {
			g.nfull--
		}
		if t := src.buf[src.head&src.mask].tref; t != 0 {
			g.release(t)
		}
		src.head = (src.head + 1) & src.mask
		src.n--
		src.dequeued++
		g.consumed++
	case kindNoop:
	default:
		return cost, g.run(op, now)
	}
	return cost, nil
}

// commitC completes a push into channel c.
func (g *Graph) commitC(c *channel) {
	c.n++
	if c.n > c.highWater {
		c.highWater = c.n
	}
	c.enqueued++
	if c.n == c.capacity {
		g.nfull++
	}
}

// countStalls charges a backpressure stall to every other operator whose
// input is ready but whose output channel is full, and to that channel.
func (g *Graph) countStalls(chosen int) {
	for i := range g.order {
		e := &g.order[i]
		c := e.op.outC
		if c == nil || c.n < c.capacity || int(e.idx) == chosen || e.in.n == 0 {
			continue
		}
		c.stalls++
		e.op.stalls++
	}
}

func (g *Graph) push(ch uint16, it slot) {
	c := &g.chans[ch]
	*c.reserve() = it
	g.commitC(c)
}

func (g *Graph) pop(ch uint16) slot {
	c := &g.chans[ch]
	if c.n == c.capacity {
		g.nfull--
	}
	return c.pop()
}

// item converts a stored slot to the public form.
func (g *Graph) item(s slot) Item {
	it := Item{Lineage: s.lineage, Schema: s.schema, Quality: s.quality, Born: clock.Ticks(s.born), Scalar: s.scalar}
	if s.tref != 0 {
		it.T = g.tensors[s.tref]
	}
	return it
}

// store converts a public item back to a slot, reusing tref's table entry
// (0: none yet) and releasing it when the item no longer has a tensor.
func (g *Graph) store(it Item, tref uint32) slot {
	s := slot{lineage: it.Lineage, born: uint64(it.Born), scalar: it.Scalar, schema: it.Schema, quality: it.Quality}
	switch {
	case it.T != nil && tref != 0:
		g.tensors[tref] = it.T
		s.tref = tref
	case it.T != nil:
		if n := len(g.freeT); n > 0 {
			s.tref = g.freeT[n-1]
			g.freeT = g.freeT[:n-1]
			g.tensors[s.tref] = it.T
		} else {
			if len(g.tensors) == 0 {
				g.tensors = append(g.tensors, nil)
			}
			s.tref = uint32(len(g.tensors))
			g.tensors = append(g.tensors, it.T)
		}
	case tref != 0:
		g.release(tref)
	}
	return s
}

// release frees a tensor table entry.
func (g *Graph) release(tref uint32) {
	if tref != 0 {
		g.tensors[tref] = nil
		g.freeT = append(g.freeT, tref)
	}
}

// take converts a slot leaving the graph (sink, failure) to an item and
// frees its tensor entry.
func (g *Graph) take(s slot) Item {
	it := g.item(s)
	g.release(s.tref)
	return it
}

func (g *Graph) fail(op *operator, it Item, err error) error {
	op.errors++
	g.failedN++
	if len(g.failed) < g.opts.FailedKeep {
		g.failed = append(g.failed, FailedItem{Item: it, Op: op.spec.ID, Err: err})
	}
	return err
}

// run is the effect of one run of an operator with a function or a
// collecting sink (§5.5, reference); exec handles the function-less kinds.
func (g *Graph) run(op *operator, now clock.Ticks) error {
	sp := &op.spec
	switch op.kind {
	case kindSource:
		seq := g.seq
		g.seq++
		g.produced++
		it, err := sp.Fn(Item{Lineage: seq, Schema: sp.OutSchema, Quality: DefaultQuality, Born: now, Scalar: float32(seq)})
		if err != nil {
			return g.fail(op, it, err)
		}
		g.push(sp.Out, g.store(it, 0))
		op.itemsOut++
	case kindSink:
		it := g.take(g.pop(sp.In))
		op.itemsIn++
		if sp.Fn != nil {
			if _, err := sp.Fn(it); err != nil {
				return g.fail(op, it, err)
			}
		}
		g.consumed++
		if sp.Collect {
			op.sink = append(op.sink, it)
		}
	case kindTransform:
		s := g.pop(sp.In)
		op.itemsIn++
		in := g.item(s)
		out, err := sp.Fn(in)
		if err != nil {
			g.release(s.tref)
			return g.fail(op, in, err)
		}
		s = g.store(out, s.tref)
		if sp.OutSchema != 0 {
			s.schema = sp.OutSchema
		}
		g.push(sp.Out, s)
		op.itemsOut++
	}
	return nil
}

// RunResult is the outcome of Run.
type RunResult struct {
	// Steps is the number of steps executed (≤ the number requested).
	Steps uint64
	// Elapsed is the sum of the steps' modelled costs.
	Elapsed clock.Ticks
}

// Run executes up to n steps from time now, each at the time the previous
// one ended, and stops early when nothing is runnable (§5.4, outside
// deterministic mode). cost is passed to Step.
func (g *Graph) Run(now clock.Ticks, n uint64, cost clock.Ticks) RunResult {
	var r RunResult
	for r.Steps < n {
		e := g.next()
		if e == nil {
			break
		}
		op := e.op
		// Nothing is printed, but the last traced depths must follow as
		// if it were (a later traced step compares against them).
		src, dst := op.inC, op.outC
		if src != nil {
			src.traced = src.n
		}
		if dst != nil {
			dst.traced = dst.n
		}
		r.Steps++
		// exec's three function-less kinds, inlined for pipelines: the
		// slow cases (stalls to count, a ring to grow, a schema to set)
		// go through exec.
		if g.nfull != 0 || op.kind < kindGen || (dst != nil && dst.n == uint32(len(dst.buf))) ||
			(op.kind == kindMove && op.spec.OutSchema != 0) {
			c, _ := g.exec(op, int(e.idx), now.Add(r.Elapsed), cost)
			r.Elapsed = r.Elapsed.Add(c)
			continue
		}
		c := cost
		if c == 0 {
			c = op.cost
		}
		op.runs++
		op.lat.add(uint64(c) * clock.NsPerTick)
		g.steps++
		switch op.kind {
		case kindMove:
			op.itemsIn++
			op.itemsOut++
			dst.buf[(dst.head+dst.n)&dst.mask] = src.buf[src.head&src.mask]
			src.head = (src.head + 1) & src.mask
			src.n--
			src.dequeued++
			g.commitC(dst)
		case kindGen:
			seq := g.seq
			g.seq++
			g.produced++
			op.itemsOut++
			// Field by field: a composite literal is built on the stack
			// and copied, which stalls store forwarding.
			d := &dst.buf[(dst.head+dst.n)&dst.mask]
			d.lineage, d.born, d.scalar = seq, uint64(now.Add(r.Elapsed)), float32(seq)
			d.schema, d.tref, d.quality = op.spec.OutSchema, 0, DefaultQuality
			g.commitC(dst)
		case kindDrop:
			op.itemsIn++
			if t := src.buf[src.head&src.mask].tref; t != 0 {
				g.release(t)
			}
			src.head = (src.head + 1) & src.mask
			src.n--
			src.dequeued++
			g.consumed++
		}
		r.Elapsed = r.Elapsed.Add(c)
	}
	return r
}

// ChannelStatus is a snapshot of one channel.
type ChannelStatus struct {
	Index     uint16
	Capacity  uint32
	Depth     uint32
	HighWater uint32
	// Schema is the bound schema, 0 = none.
	Schema uint32
	// Enqueued and Dequeued count items into and out of the channel
	// (items through = Dequeued).
	Enqueued, Dequeued uint64
	// Stalls counts steps in which a producer with ready input was blocked
	// because this channel was full.
	Stalls uint64
}

// OperatorStatus is a snapshot of one operator.
type OperatorStatus struct {
	ID                  uint32
	In, Out             uint16
	Priority            uint8
	Stage               Stage
	InSchema, OutSchema uint32
	Runs                uint64
	ItemsIn, ItemsOut   uint64
	Stalls              uint64
	Errors              uint64
	// LatencyP50/P95/P99 are nearest-rank percentiles of run durations in
	// virtual nanoseconds (0 before the first run).
	LatencyP50, LatencyP95, LatencyP99 uint64
}

// Status is a snapshot of the whole graph; it shares nothing with it.
type Status struct {
	Channels  []ChannelStatus
	Operators []OperatorStatus
	// Produced counts items created by sources, Consumed items discarded
	// by sinks, Failed items whose function failed, InFlight items queued
	// now. Produced = Consumed + Failed + InFlight always holds.
	Produced, Consumed, Failed, InFlight uint64
	// Steps counts operator runs since the graph was created.
	Steps uint64
	// Mismatches is the schema mismatch counter.
	Mismatches    uint64
	OperatorsHint int
}

// Status returns a snapshot.
func (g *Graph) Status() Status {
	s := Status{
		Channels:  make([]ChannelStatus, len(g.chans)),
		Operators: make([]OperatorStatus, len(g.ops)),
		Produced:  g.produced, Consumed: g.consumed, Failed: g.failedN,
		Steps: g.steps, Mismatches: g.mismatches, OperatorsHint: g.opts.OperatorsHint,
	}
	for i := range g.chans {
		c := &g.chans[i]
		s.Channels[i] = ChannelStatus{Index: uint16(i), Capacity: c.capacity, Depth: c.n, HighWater: c.highWater,
			Schema: c.schema, Enqueued: c.enqueued, Dequeued: c.dequeued, Stalls: c.stalls}
		s.InFlight += uint64(c.n)
	}
	for i := range g.ops {
		o := &g.ops[i]
		sp := &o.spec
		s.Operators[i] = OperatorStatus{ID: sp.ID, In: sp.In, Out: sp.Out, Priority: sp.Priority, Stage: sp.Stage,
			InSchema: sp.InSchema, OutSchema: sp.OutSchema, Runs: o.runs, ItemsIn: o.itemsIn, ItemsOut: o.itemsOut,
			Stalls: o.stalls, Errors: o.errors,
			LatencyP50: o.lat.percentile(50), LatencyP95: o.lat.percentile(95), LatencyP99: o.lat.percentile(99)}
	}
	return s
}

// ChannelDepth returns the depth of channel ch (0 if it does not exist).
func (g *Graph) ChannelDepth(ch uint16) uint32 {
	if int(ch) >= len(g.chans) {
		return 0
	}
	return g.chans[ch].n
}

// ChannelSchema returns the schema bound to channel ch (0 = none or no such
// channel).
func (g *Graph) ChannelSchema(ch uint16) uint32 {
	if int(ch) >= len(g.chans) {
		return 0
	}
	return g.chans[ch].schema
}

// ChannelItems returns a copy of the items queued in channel ch, oldest
// first.
func (g *Graph) ChannelItems(ch uint16) []Item {
	if int(ch) >= len(g.chans) {
		return nil
	}
	slots := g.chans[ch].slots()
	out := make([]Item, len(slots))
	for i, s := range slots {
		out[i] = g.item(s)
	}
	return out
}

// Operator returns the spec of the operator at insertion index i.
func (g *Graph) Operator(i int) (OperatorSpec, error) {
	if i < 0 || i >= len(g.ops) {
		return OperatorSpec{}, fmt.Errorf("%w: index %d", ErrNoOperator, i)
	}
	return g.ops[i].spec, nil
}

// SinkItems returns a copy of the items collected by the sink at insertion
// index i (OperatorSpec.Collect), in arrival order.
func (g *Graph) SinkItems(i int) ([]Item, error) {
	if i < 0 || i >= len(g.ops) {
		return nil, fmt.Errorf("%w: index %d", ErrNoOperator, i)
	}
	return append([]Item(nil), g.ops[i].sink...), nil
}

// FailedItems returns a copy of the kept failed items (the first
// Options.FailedKeep); Status().Failed counts all.
func (g *Graph) FailedItems() []FailedItem { return append([]FailedItem(nil), g.failed...) }
