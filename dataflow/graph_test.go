package dataflow

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/sisemu/sisemu/dataflow/tensor"
	"github.com/sisemu/sisemu/sched/clock"
)

func mustGraph(t *testing.T) *Graph {
	t.Helper()
	g, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func mustChan(t *testing.T, g *Graph, capacity uint32) uint16 {
	t.Helper()
	c, err := g.AddChannel(capacity)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustOp(t *testing.T, g *Graph, spec OperatorSpec) int {
	t.Helper()
	r, err := g.AddOperator(spec)
	if err != nil {
		t.Fatal(err)
	}
	return r.Index
}

// TestSpecExample is the table of dataflow.md §5.5: add-channel 2, source
// prio 10, sink prio 1, five steps.
func TestSpecExample(t *testing.T) {
	g := mustGraph(t)
	mustChan(t, g, 2)
	mustOp(t, g, OperatorSpec{ID: 1, In: NoChannel, Out: 0, Priority: 10})
	mustOp(t, g, OperatorSpec{ID: 2, In: 0, Out: NoChannel, Priority: 1})
	want := []struct {
		op     uint32
		traces []DepthTrace
		after  uint32
	}{
		{1, nil, 1},
		{1, []DepthTrace{{0, 1}}, 2},
		{2, []DepthTrace{{0, 2}}, 1},
		{1, []DepthTrace{{0, 1}}, 2},
		{2, []DepthTrace{{0, 2}}, 1},
	}
	for i, w := range want {
		r, ok := g.Step(0, 0)
		if !ok {
			t.Fatalf("step %d: nothing ran", i+1)
		}
		if r.Op != w.op || r.NTraces != len(w.traces) || r.Cost != DefaultCost {
			t.Fatalf("step %d: ran op %d with %d traces cost %d, want op %d with %v", i+1, r.Op, r.NTraces, r.Cost, w.op, w.traces)
		}
		for j, tr := range w.traces {
			if r.Traces[j] != tr {
				t.Fatalf("step %d: trace %d = %+v, want %+v", i+1, j, r.Traces[j], tr)
			}
		}
		if d := g.ChannelDepth(0); d != w.after {
			t.Fatalf("step %d: depth %d, want %d", i+1, d, w.after)
		}
	}
	st := g.Status()
	if st.Produced != 3 || st.Consumed != 2 || st.InFlight != 1 || st.Steps != 5 {
		t.Fatalf("status %+v", st)
	}
	if c := st.Channels[0]; c.HighWater != 2 || c.Enqueued != 3 || c.Dequeued != 2 || c.Stalls != 2 {
		t.Fatalf("channel status %+v", c)
	}
	if o := st.Operators[0]; o.Runs != 3 || o.ItemsOut != 3 || o.Stalls != 2 || o.LatencyP99 != 1024 {
		t.Fatalf("operator status %+v", o)
	}
}

func TestSelectionPriorityAndTies(t *testing.T) {
	g := mustGraph(t)
	// All none/none: always runnable, so selection alone decides.
	mustOp(t, g, OperatorSpec{ID: 0, In: NoChannel, Out: NoChannel, Priority: 10})
	mustOp(t, g, OperatorSpec{ID: 1, In: NoChannel, Out: NoChannel, Priority: 15})
	mustOp(t, g, OperatorSpec{ID: 2, In: NoChannel, Out: NoChannel, Priority: 15})
	mustOp(t, g, OperatorSpec{ID: 3, In: NoChannel, Out: NoChannel, Priority: 1})
	if r, _ := g.Step(0, 0); r.Op != 2 || r.NTraces != 0 {
		t.Fatalf("ran %d (traces %d), want the later of the two prio-15 operators (2)", r.Op, r.NTraces)
	}
	// Priority 0 is eligible.
	g2 := mustGraph(t)
	mustOp(t, g2, OperatorSpec{ID: 7, In: NoChannel, Out: NoChannel, Priority: 0})
	if r, ok := g2.Step(0, 0); !ok || r.Op != 7 {
		t.Fatalf("priority 0 not run: %+v %v", r, ok)
	}
	// Equal priority sources into separate channels: the later one runs
	// until its channel fills, then the earlier one.
	g3 := mustGraph(t)
	mustChan(t, g3, 2)
	mustChan(t, g3, 2)
	mustOp(t, g3, OperatorSpec{ID: 10, In: NoChannel, Out: 0, Priority: 5})
	mustOp(t, g3, OperatorSpec{ID: 11, In: NoChannel, Out: 1, Priority: 5})
	var seq []uint32
	for {
		r, ok := g3.Step(0, 0)
		if !ok {
			break
		}
		seq = append(seq, r.Op)
	}
	if want := []uint32{11, 11, 10, 10}; !equalU32(seq, want) {
		t.Fatalf("sequence %v, want %v", seq, want)
	}
}

func equalU32(a, b []uint32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLimits(t *testing.T) {
	g := mustGraph(t)
	for i := range KernelMaxChannels {
		if c := mustChan(t, g, 4); int(c) != i {
			t.Fatalf("channel index %d, want %d", c, i)
		}
	}
	if _, err := g.AddChannel(4); !errors.Is(err, ErrChannelLimit) {
		t.Fatalf("17th channel: %v", err)
	}
	if g.NumChannels() != KernelMaxChannels {
		t.Fatalf("channels %d", g.NumChannels())
	}
	for _, c := range []uint32{0, 65536} {
		if _, err := g.AddChannel(c); !errors.Is(err, ErrCapacity) {
			t.Fatalf("capacity %d: %v", c, err)
		}
	}
	for i := range KernelMaxOperators {
		mustOp(t, g, OperatorSpec{ID: uint32(i), In: NoChannel, Out: NoChannel})
	}
	// The 33rd is refused before any schema check, typed or not, and
	// reports its out-of-range warnings.
	r, err := g.AddOperator(OperatorSpec{ID: 99, In: 40, Out: 0, Typed: true, OutSchema: 5})
	if !errors.Is(err, ErrOperatorLimit) || !r.InOOR || r.OutOOR || r.Index != -1 {
		t.Fatalf("33rd operator: %+v %v", r, err)
	}
	if g.NumOperators() != KernelMaxOperators || g.ChannelSchema(0) != 0 || g.Mismatches() != 0 {
		t.Fatalf("state changed by rejected add")
	}
}

func TestTypedAdmission(t *testing.T) {
	g := mustGraph(t)
	mustChan(t, g, 4)
	mustChan(t, g, 4)
	// Binds channel 0 to 7.
	mustOp(t, g, OperatorSpec{ID: 1, In: NoChannel, Out: 0, Typed: true, OutSchema: 7})
	if g.ChannelSchema(0) != 7 {
		t.Fatal("schema not bound")
	}
	// Same schema: fine.
	mustOp(t, g, OperatorSpec{ID: 2, In: 0, Out: NoChannel, Typed: true, InSchema: 7})
	// Out binds channel 1 tentatively, in mismatches on 0: rejected, and
	// channel 1 stays unbound (§7 row 12).
	_, err := g.AddOperator(OperatorSpec{ID: 3, In: 0, Out: 1, Typed: true, InSchema: 8, OutSchema: 9})
	var se *SchemaError
	if !errors.As(err, &se) || !errors.Is(err, ErrSchemaMismatch) || se.Out || se.OutOfRange || se.Channel != 0 || se.Mismatches != 1 {
		t.Fatalf("mismatch: %v %+v", err, se)
	}
	if g.ChannelSchema(1) != 0 || g.NumOperators() != 2 {
		t.Fatal("rejected add changed the graph")
	}
	// Out of range is checked first and does not count as a mismatch.
	_, err = g.AddOperator(OperatorSpec{ID: 4, In: 0, Out: 5, Typed: true, InSchema: 8, OutSchema: 9})
	if !errors.As(err, &se) || !se.Out || !se.OutOfRange || se.Channel != 5 || g.Mismatches() != 1 {
		t.Fatalf("out of range: %v %+v", err, se)
	}
	_, err = g.AddOperator(OperatorSpec{ID: 4, In: 6, Out: NoChannel, Typed: true, InSchema: 8})
	if !errors.As(err, &se) || se.Out || !se.OutOfRange || se.Channel != 6 {
		t.Fatalf("in out of range: %v %+v", err, se)
	}
	// The boundary: index = channel count is out of range on both sides.
	_, err = g.AddOperator(OperatorSpec{ID: 4, In: NoChannel, Out: 2, Typed: true, OutSchema: 9})
	if !errors.As(err, &se) || !se.Out || !se.OutOfRange || se.Channel != 2 {
		t.Fatalf("out = channel count: %v %+v", err, se)
	}
	_, err = g.AddOperator(OperatorSpec{ID: 4, In: 2, Out: NoChannel, Typed: true, InSchema: 8})
	if !errors.As(err, &se) || se.Out || !se.OutOfRange || se.Channel != 2 || g.NumOperators() != 2 {
		t.Fatalf("in = channel count: %v %+v", err, se)
	}
	// in == out on an unbound channel with two schemas: the in check sees
	// the tentative binding and rejects.
	_, err = g.AddOperator(OperatorSpec{ID: 5, In: 1, Out: 1, Typed: true, InSchema: 3, OutSchema: 4})
	if !errors.As(err, &se) || se.Mismatches != 2 || g.ChannelSchema(1) != 0 {
		t.Fatalf("in==out: %v %+v", err, se)
	}
	// Untyped operators are never checked (§3.3 untyped path).
	mustOp(t, g, OperatorSpec{ID: 6, In: 0, Out: 1, InSchema: 99, OutSchema: 98})
	// Items from a typed source carry its schema.
	g.Run(0, 1, 0)
	if it := g.ChannelItems(0); len(it) != 1 || it[0].Schema != 7 || it[0].Quality != 100 || it[0].Lineage != 0 {
		t.Fatalf("items %+v", it)
	}
}

func TestOutOfRangeIndexBecomesRunnable(t *testing.T) {
	g := mustGraph(t)
	r, err := g.AddOperator(OperatorSpec{ID: 1, In: NoChannel, Out: 0, Priority: 10})
	if err != nil || !r.OutOOR || r.InOOR {
		t.Fatalf("%+v %v", r, err)
	}
	if _, ok := g.Step(0, 0); ok {
		t.Fatal("operator with a missing channel ran")
	}
	mustChan(t, g, 3)
	if res := g.Run(0, 100, 0); res.Steps != 3 || res.Elapsed != 3*DefaultCost {
		t.Fatalf("run %+v, want 3 steps (capacity honoured)", res)
	}
}

// TestBackpressureSlowConsumer: a fast high-priority producer and a slow
// (cost 10×) low-priority consumer; the channel never exceeds capacity,
// nothing is lost, the producer stalls.
func TestBackpressureSlowConsumer(t *testing.T) {
	g := mustGraph(t)
	mustChan(t, g, 8)
	mustOp(t, g, OperatorSpec{ID: 0, In: NoChannel, Out: 0, Priority: 10})
	sink := mustOp(t, g, OperatorSpec{ID: 1, In: 0, Out: NoChannel, Priority: 1, Cost: 640, Collect: true})
	res := g.Run(0, 1000, 0)
	if res.Steps != 1000 {
		t.Fatalf("steps %d", res.Steps)
	}
	st := g.Status()
	ch := st.Channels[0]
	if ch.HighWater != 8 || ch.Depth > 8 {
		t.Fatalf("channel %+v", ch)
	}
	if st.Produced != st.Consumed+st.InFlight || st.Failed != 0 {
		t.Fatalf("conservation: %+v", st)
	}
	// After filling (8 steps) the graph alternates consumer/producer.
	if st.Operators[1].Runs != 496 || st.Operators[0].Runs != 504 {
		t.Fatalf("runs %d/%d", st.Operators[0].Runs, st.Operators[1].Runs)
	}
	if st.Operators[0].Stalls != 496 || ch.Stalls != 496 {
		t.Fatalf("stalls op %d channel %d", st.Operators[0].Stalls, ch.Stalls)
	}
	if st.Operators[1].LatencyP50 != 640*16 {
		t.Fatalf("sink latency %d", st.Operators[1].LatencyP50)
	}
	if res.Elapsed != 504*DefaultCost+496*640 {
		t.Fatalf("elapsed %d", res.Elapsed)
	}
	items, _ := g.SinkItems(sink)
	for i, it := range items {
		if it.Lineage != uint64(i) || it.Scalar != float32(i) {
			t.Fatalf("item %d arrived as %+v: order broken", i, it)
		}
	}
}

func TestFailedItemsAreKept(t *testing.T) {
	bad := errors.New("boom")
	g := mustGraph(t)
	mustChan(t, g, 4)
	mustChan(t, g, 4)
	mustOp(t, g, OperatorSpec{ID: 0, In: NoChannel, Out: 0})
	mustOp(t, g, OperatorSpec{ID: 1, In: 0, Out: 1, Fn: func(in Item) (Item, error) {
		if in.Lineage%2 == 1 {
			return in, bad
		}
		return in, nil
	}})
	mustOp(t, g, OperatorSpec{ID: 2, In: 1, Out: NoChannel})
	g.Run(0, 30, 0)
	st := g.Status()
	if st.Failed == 0 || st.Produced != st.Consumed+st.Failed+st.InFlight {
		t.Fatalf("%+v", st)
	}
	f := g.FailedItems()
	if len(f) != int(st.Failed) || f[0].Item.Lineage != 1 || f[0].Op != 1 || !errors.Is(f[0].Err, bad) {
		t.Fatalf("%+v", f)
	}
	if st.Operators[1].Errors != st.Failed {
		t.Fatal("operator error count")
	}
}

// oracle is a deliberately naive model of §5.1/§5.2/§5.5: depth counters
// only, a full scan with ">=" for ties.
type oracle struct {
	caps   []uint32
	depth  []uint32
	ops    []OperatorSpec
	traced []uint32
}

func (o *oracle) ready(sp OperatorSpec) bool {
	if sp.In != NoChannel && (int(sp.In) >= len(o.caps) || o.depth[sp.In] == 0) {
		return false
	}
	if sp.Out != NoChannel && (int(sp.Out) >= len(o.caps) || o.depth[sp.Out] == o.caps[sp.Out]) {
		return false
	}
	return true
}

func (o *oracle) step() (int, []DepthTrace) {
	best := -1
	for i, sp := range o.ops {
		if o.ready(sp) && (best < 0 || sp.Priority >= o.ops[best].Priority) {
			best = i
		}
	}
	if best < 0 {
		return -1, nil
	}
	sp := o.ops[best]
	var tr []DepthTrace
	for _, ch := range []uint16{sp.In, sp.Out} {
		if ch != NoChannel && o.depth[ch] != o.traced[ch] {
			o.traced[ch] = o.depth[ch]
			tr = append(tr, DepthTrace{ch, o.depth[ch]})
		}
	}
	if sp.In != NoChannel {
		o.depth[sp.In]--
	}
	if sp.Out != NoChannel {
		o.depth[sp.Out]++
	}
	return best, tr
}

// TestRandomGraphsAgainstOracle: random graphs (random channel indexes,
// some out of range, random priorities, random capacities); every step
// must match the oracle's choice and traces, and items are conserved.
func TestRandomGraphsAgainstOracle(t *testing.T) {
	for seed := uint64(0); seed < 300; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		g := mustGraph(t)
		o := &oracle{}
		nch := rng.IntN(KernelMaxChannels + 1)
		for range nch {
			c := uint32(1 + rng.IntN(5))
			mustChan(t, g, c)
			o.caps = append(o.caps, c)
			o.depth = append(o.depth, 0)
			o.traced = append(o.traced, 0)
		}
		pick := func() uint16 {
			if rng.IntN(4) == 0 {
				return NoChannel
			}
			return uint16(rng.IntN(nch + 2)) // sometimes out of range
		}
		for i := range 1 + rng.IntN(KernelMaxOperators) {
			sp := OperatorSpec{ID: uint32(i), In: pick(), Out: pick(), Priority: uint8(rng.IntN(4) * 5)}
			mustOp(t, g, sp)
			o.ops = append(o.ops, sp)
		}
		for step := range 200 {
			want, wantTr := o.step()
			r, ok := g.Step(0, 0)
			if (want < 0) != !ok {
				t.Fatalf("seed %d step %d: ran=%v, oracle %d", seed, step, ok, want)
			}
			if !ok {
				break
			}
			if r.Index != want || r.NTraces != len(wantTr) {
				t.Fatalf("seed %d step %d: ran %d traces %v, oracle %d %v", seed, step, r.Index, r.Traces[:r.NTraces], want, wantTr)
			}
			for j := range wantTr {
				if r.Traces[j] != wantTr[j] {
					t.Fatalf("seed %d step %d: traces %v, oracle %v", seed, step, r.Traces[:r.NTraces], wantTr)
				}
			}
			st := g.Status()
			if st.Produced != st.Consumed+st.Failed+st.InFlight {
				t.Fatalf("seed %d step %d: produced %d != consumed %d + failed %d + in flight %d",
					seed, step, st.Produced, st.Consumed, st.Failed, st.InFlight)
			}
			for ch := range nch {
				if st.Channels[ch].Depth != o.depth[ch] || st.Channels[ch].Depth > st.Channels[ch].Capacity {
					t.Fatalf("seed %d step %d: channel %d depth %d, oracle %d", seed, step, ch, st.Channels[ch].Depth, o.depth[ch])
				}
			}
		}
	}
}

func TestLargeChannelGrowsLazily(t *testing.T) {
	g := mustGraph(t)
	mustChan(t, g, MaxCapacity)
	mustOp(t, g, OperatorSpec{ID: 0, In: NoChannel, Out: 0})
	if res := g.Run(0, 100000, 0); res.Steps != MaxCapacity {
		t.Fatalf("steps %d", res.Steps)
	}
	items := g.ChannelItems(0)
	if len(items) != MaxCapacity || items[MaxCapacity-1].Lineage != MaxCapacity-1 {
		t.Fatal("items lost while growing")
	}
}

func TestPipelineTensorFunctionError(t *testing.T) {
	w, _ := tensor.New([]int{3, 2}, []float32{1, 2, 3, 4, 5, 6})
	mm := TensorFunc(func(x *tensor.Tensor) (*tensor.Tensor, error) { return tensor.MatMul(x, w) })
	// Default scalar items are shape [1]: matmul fails, items go to failed.
	g, sink, err := Pipeline(Options{}, 4, nil, mm)
	if err != nil {
		t.Fatal(err)
	}
	g.Run(0, 10, 0)
	st := g.Status()
	items, _ := g.SinkItems(sink)
	if len(items) != 0 || st.Failed == 0 || !errors.Is(g.FailedItems()[0].Err, tensor.ErrShapeMismatch) {
		t.Fatalf("%+v", st)
	}
}

func TestNewOptions(t *testing.T) {
	for _, o := range []Options{{MaxOperators: -1}, {MaxOperators: 5000}, {MaxChannels: 70000}, {OperatorsHint: -3}} {
		if _, err := New(o); !errors.Is(err, ErrOptions) {
			t.Fatalf("%+v: %v", o, err)
		}
	}
	g, err := New(Options{OperatorsHint: 5})
	if err != nil || g.Status().OperatorsHint != 5 || g.Options().MaxOperators != 32 {
		t.Fatal(err)
	}
}

func TestSlot(t *testing.T) {
	var s Slot
	if _, err := s.Run(0, 5, 0); !errors.Is(err, ErrNoGraph) || s.Graph() != nil {
		t.Fatalf("empty slot: %v", err)
	}
	g, err := s.Create(Options{})
	if err != nil || s.Graph() != g {
		t.Fatal(err)
	}
	mustChan(t, g, 2)
	mustOp(t, g, OperatorSpec{ID: 1, In: NoChannel, Out: 0})
	if r, err := s.Run(0, 5, 0); err != nil || r.Steps != 2 {
		t.Fatalf("%+v %v", r, err)
	}
	s.Destroy()
	if _, err := s.Run(0, 5, 0); !errors.Is(err, ErrNoGraph) {
		t.Fatal("destroy kept the graph")
	}
	if _, err := s.Create(Options{MaxOperators: -1}); !errors.Is(err, ErrOptions) || s.Graph() != nil {
		t.Fatal("bad create changed the slot")
	}
}

// TestTensorTableTracksItemsInFlight: tensors of consumed or failed items
// are released; the table holds exactly the tensors still queued.
func TestTensorTableTracksItemsInFlight(t *testing.T) {
	src := SourceFunc(func(l uint64) (*tensor.Tensor, error) { return tensor.New([]int{2}, []float32{float32(l), 1}) })
	bad := errors.New("odd")
	flaky := func(in Item) (Item, error) {
		if in.Lineage%3 == 1 {
			return in, bad
		}
		in.T = tensor.ReLU(in.T)
		return in, nil
	}
	drop := func(in Item) (Item, error) { in.T = nil; in.Scalar = 7; return in, nil }
	g, _, err := Pipeline(Options{}, 5, src, flaky, drop, Map(tensor.GELU))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []uint64{1, 2, 3, 7, 50, 3} {
		g.Run(0, n, 0)
		live := 0
		for _, tt := range g.tensors {
			if tt != nil {
				live++
			}
		}
		var withTensor int
		for ch := range uint16(g.NumChannels()) {
			for _, it := range g.ChannelItems(ch) {
				if it.T != nil {
					withTensor++
				}
			}
		}
		if live != withTensor || len(g.tensors) > 1+4*5 {
			t.Fatalf("after %d steps: %d live tensors, %d queued items with tensors, table %d", n, live, withTensor, len(g.tensors))
		}
	}
	if items, _ := g.SinkItems(3 + 1); len(items) == 0 || items[0].T == nil || items[0].T.Data()[0] != tensor.GELU(tensor.Scalar1(7)).Data()[0] {
		t.Fatalf("sink items %+v", items)
	}
}

// TestRunEqualsSteps: Run (with its inlined fast paths) and repeated Step
// leave random graphs in identical states: same counters, items, traced
// depths and latency distributions.
func TestRunEqualsSteps(t *testing.T) {
	bad := errors.New("bad")
	for seed := uint64(0); seed < 200; seed++ {
		build := func() *Graph {
			rng := rand.New(rand.NewPCG(seed, 7))
			g := mustGraph(t)
			nch := rng.IntN(KernelMaxChannels + 1)
			for range nch {
				mustChan(t, g, uint32(1+rng.IntN(20)))
			}
			pick := func() uint16 {
				if rng.IntN(3) == 0 {
					return NoChannel
				}
				return uint16(rng.IntN(nch + 1))
			}
			for i := range 1 + rng.IntN(KernelMaxOperators) {
				sp := OperatorSpec{ID: uint32(i), In: pick(), Out: pick(), Priority: uint8(rng.IntN(3)),
					OutSchema: uint32(rng.IntN(2) * 5), Cost: clock.Ticks(rng.IntN(2) * 100), Collect: rng.IntN(4) == 0}
				switch rng.IntN(4) {
				case 0:
					sp.Fn = Map(tensor.ReLU)
				case 1:
					sp.Fn = func(in Item) (Item, error) {
						if in.Lineage%5 == 4 {
							return in, bad
						}
						return in, nil
					}
				}
				mustOp(t, g, sp)
			}
			return g
		}
		a, b := build(), build()
		rng := rand.New(rand.NewPCG(seed, 8))
		var now clock.Ticks
		for range 20 {
			n := uint64(rng.IntN(40))
			cost := clock.Ticks(rng.IntN(2) * 50)
			ra := a.Run(now, n, cost)
			var rb RunResult
			for rb.Steps < n {
				s, ok := b.Step(now.Add(rb.Elapsed), cost)
				if !ok {
					break
				}
				rb.Steps++
				rb.Elapsed += s.Cost
			}
			if ra != rb {
				t.Fatalf("seed %d: Run %+v, steps %+v", seed, ra, rb)
			}
			now += ra.Elapsed
		}
		sa, sb := a.Status(), b.Status()
		if fmt.Sprint(sa) != fmt.Sprint(sb) {
			t.Fatalf("seed %d: status differs:\n%+v\n%+v", seed, sa, sb)
		}
		for ch := range uint16(a.NumChannels()) {
			if a.chans[ch].traced != b.chans[ch].traced || itemsString(a.ChannelItems(ch)) != itemsString(b.ChannelItems(ch)) {
				t.Fatalf("seed %d: channel %d differs", seed, ch)
			}
		}
		for i := range a.NumOperators() {
			ia, _ := a.SinkItems(i)
			ib, _ := b.SinkItems(i)
			if itemsString(ia) != itemsString(ib) {
				t.Fatalf("seed %d: sink %d differs", seed, i)
			}
		}
	}
}

// itemsString formats items by value (tensor contents, not addresses).
func itemsString(items []Item) string {
	var b []byte
	for _, it := range items {
		b = fmt.Appendf(b, "%d/%d/%d/%d/%v/%v;", it.Lineage, it.Schema, it.Quality, it.Born, it.Scalar, it.Tensor())
	}
	return string(b)
}

// TestMetricsDetail pins the per-operator and per-channel metrics against
// hand-computed values: nearest-rank latency percentiles over mixed costs,
// the high-water mark of a capacity-1 channel, stalls charged only to a
// blocked producer whose input is ready, and a transform's out_schema
// relabelling the items it moves (else they keep their own).
func TestMetricsDetail(t *testing.T) {
	g := mustGraph(t)
	// Costs 10, 9, …, 1 ticks for 10 runs of a no-op: nearest rank
	// ⌈p·10/100⌉ gives p50 = 5, p95 = p99 = 10 ticks.
	noop := mustOp(t, g, OperatorSpec{ID: 9, In: NoChannel, Out: NoChannel, Priority: 200})
	for c := range 10 {
		if r, ok := g.Step(0, clock.Ticks(10-c)); !ok || r.Index != noop {
			t.Fatal("no-op did not run")
		}
	}
	o := g.Status().Operators[noop]
	if o.LatencyP50 != 5*16 || o.LatencyP95 != 10*16 || o.LatencyP99 != 10*16 || o.Runs != 10 {
		t.Fatalf("percentiles %d/%d/%d ns", o.LatencyP50, o.LatencyP95, o.LatencyP99)
	}
	g2 := mustGraph(t)
	for range 3 {
		mustChan(t, g2, 1)
	}
	mustOp(t, g2, OperatorSpec{ID: 0, In: NoChannel, Out: 0, Priority: 9, OutSchema: 3})
	mustOp(t, g2, OperatorSpec{ID: 1, In: 0, Out: 1, Priority: 5, OutSchema: 4})
	mustOp(t, g2, OperatorSpec{ID: 2, In: 1, Out: 2, Priority: 1})
	// A transform from channel 2 into channel 1: blocked while channel 1 is
	// full, but its input is empty then, so it is never charged a stall.
	mustOp(t, g2, OperatorSpec{ID: 3, In: 2, Out: 1, Priority: 0})
	// Steps: 0 fills ch0; 1 moves it to ch1 (schema 4) while 0 is blocked
	// (ch0 full, input ready: stall); 0 fills ch0 again (1 is blocked by
	// full ch1 but its input ch0 is empty: no stall); 2 moves ch1 → ch2
	// (keeps schema 4) while 0 (stall) and 1 (ch0 ready, ch1 full: stall)
	// wait.
	g2.Run(0, 4, 0)
	st := g2.Status()
	if st.Channels[0].HighWater != 1 || st.Channels[2].HighWater != 1 || st.Channels[2].Depth != 1 {
		t.Fatalf("channels %+v", st.Channels)
	}
	if st.Operators[0].Stalls != 2 || st.Operators[1].Stalls != 1 || st.Operators[3].Stalls != 0 ||
		st.Channels[0].Stalls != 2 || st.Channels[1].Stalls != 1 {
		t.Fatalf("stalls: ops %d %d %d, channels %d %d", st.Operators[0].Stalls, st.Operators[1].Stalls,
			st.Operators[3].Stalls, st.Channels[0].Stalls, st.Channels[1].Stalls)
	}
	if it := g2.ChannelItems(2); len(it) != 1 || it[0].Schema != 4 || it[0].Lineage != 0 {
		t.Fatalf("moved item %+v", it)
	}
	if it := g2.ChannelItems(0); len(it) != 1 || it[0].Schema != 3 || it[0].Lineage != 1 {
		t.Fatalf("new item %+v", it)
	}
}
