package emu

import (
	"errors"
	"strconv"

	"github.com/sisemu/sisemu/agentsys"
	"github.com/sisemu/sisemu/agentsys/frame"
	"github.com/sisemu/sisemu/dataflow"
	"github.com/sisemu/sisemu/sched/clock"
)

// dataflowState is the machine's glue to the dataflow graph (graphctl,
// ctlhex, ctlkey/ctladmin/ctlsubmit): the one graph slot, the control
// tokens and the V0 frame receiver that prints the kernel's CTRL:, METRIC
// and [TRACE] lines.
//
// Seam with the scheduler glue (state_sched.go):
//   - hasGraph reports whether the slot holds a graph;
//   - stepOne runs one §5.3 step with a cost imposed by the caller and
//     prints its trace lines; it does not move the clock (the caller does:
//     runDetSlices advances to the end of the slice);
//   - Machine.Graph returns the current graph (nil without one) for
//     read-only use.
type dataflowState struct {
	m      *Machine
	slot   dataflow.Slot
	tokens dataflow.Tokens

	// hint is `graphctl create --num-operators N`, handed to the next
	// CreateGraph frame sent by graphctl (§7 row 1).
	hint int
	// executed counts steps run by stepOne (graph_steps_executed).
	executed uint64
	lastCost clock.Ticks

	feedback []graphFeedback

	res    dataflow.StepResult
	frame  dataflow.Frame
	buf    []byte // graphctl's in-process frame buffer
	hexbuf []byte // ctlhex's decoded bytes
	line   []byte // scratch for trace lines
}

// graphFeedback is one `graphctl feedback` record.
type graphFeedback struct {
	Op   uint32
	Word string
	At   clock.Ticks
}

// init builds the subsystem for a fresh machine; seed is its child seed.
func (s *dataflowState) init(m *Machine, seed uint64) error {
	_ = seed // the graph makes no random choices
	s.m = m
	s.tokens = dataflow.DefaultTokens()
	s.buf = make([]byte, 0, dataflow.GraphctlBuffer)
	s.hexbuf = make([]byte, 0, dataflow.MaxHexFrame)
	return nil
}

// hasGraph reports whether a graph exists.
func (s *dataflowState) hasGraph() bool { return s.slot.Graph() != nil }

// stepOne executes one graph step (dataflow.md §5.3): selects the runnable
// operator, prints its trace lines into c, runs it with the given modelled
// cost (0: the operator's own or 64 ticks), and reports whether anything
// ran. It does not advance the clock.
func (s *dataflowState) stepOne(c *Ctx, cost clock.Ticks) bool {
	g := s.slot.Graph()
	if g == nil || !g.StepInto(c.Now(), cost, &s.res) {
		return false
	}
	r := &s.res
	b := s.line[:0]
	for _, t := range r.Traces[:r.NTraces] {
		b = append(b, "[TRACE] ch_depth id="...)
		b = strconv.AppendUint(b, uint64(t.Channel), 10)
		b = append(b, " depth="...)
		b = strconv.AppendUint(b, uint64(t.Depth), 10)
		b = append(b, '\n')
	}
	b = append(b, "[TRACE] op_queued id="...)
	b = strconv.AppendUint(b, uint64(r.Op), 10)
	b = append(b, "\n[TRACE] op_start id="...)
	b = strconv.AppendUint(b, uint64(r.Op), 10)
	b = append(b, "\n[TRACE] op_end id="...)
	b = strconv.AppendUint(b, uint64(r.Op), 10)
	b = append(b, " ns="...)
	b = strconv.AppendUint(b, r.Cost.Ns(), 10)
	b = append(b, '\n')
	c.out.Write(b)
	s.line = b
	s.lastCost = r.Cost
	s.executed++
	return true
}

// errNoHandler: a known frame command (LLM, neural) that sisemu has no
// receiver for; it fails with `[CTL] error` rather than claiming an
// effect.
var errNoHandler = errors.New("ctl: no handler for command")

// graphctlFrame encodes f with the default token, as graphctl always does
// (§4.5, §7 row 15), and executes it.
func (s *dataflowState) graphctlFrame(c *Ctx, f dataflow.Frame) (uint64, error) {
	f.Token = dataflow.DefaultToken
	b, err := f.AppendBinary(s.buf[:0])
	if err != nil || len(b) > dataflow.GraphctlBuffer {
		c.Println("[CTL] payload too large")
		return 0, dataflow.ErrOversize
	}
	s.buf = b[:0]
	return s.execFrame(c, b)
}

// execFrame validates and executes one V0 frame (§4.2, §4.3), printing the
// frame's own lines. It returns the steps executed by a StartGraph frame.
// The caller prints `[CTL] ok` / `[CTL] error`.
func (s *dataflowState) execFrame(c *Ctx, b []byte) (uint64, error) {
	f := &s.frame
	err := f.UnmarshalBinary(b)
	switch {
	case f.Cmd == dataflow.CmdAddOperator && (err == nil || err == dataflow.ErrShortBody):
		c.Println("CTRL: begin add-operator")
		if err != nil {
			c.Println("CTRL: bad frame len")
		}
	case f.Cmd == dataflow.CmdAddOperatorTyped && (err == nil || err == dataflow.ErrShortBody):
		c.Println("CTRL: begin add-operator (typed)")
	}
	if err != nil {
		return 0, err
	}
	if err := f.Authorize(s.tokens); err != nil {
		return 0, err
	}
	if f.Cmd.TokenClass() == dataflow.TokenAgent {
		// AgentSys frames: the token is the agent token, the body the
		// payload of handle_frame (agentsys.md §2.1).
		r := s.m.agents.sys.HandleFrame(c.Now(), frame.Opcode(f.Cmd), f.Token, f.Body)
		printCall(c, r)
		if r.Kind != agentsys.OK {
			return 0, r.Err
		}
		return 0, nil
	}
	if !f.Cmd.Graph() {
		return 0, errNoHandler
	}
	g := s.slot.Graph()
	if f.Cmd != dataflow.CmdCreateGraph && g == nil {
		return 0, dataflow.ErrNoGraph
	}
	switch f.Cmd {
	case dataflow.CmdCreateGraph:
		if _, err := s.slot.Create(dataflow.Options{OperatorsHint: s.hint}); err != nil {
			return 0, err
		}
		s.m.sched.resetForNewGraph(c.Now())
		c.Println("CTRL: graph created")
		s.statsMetrics(c)
	case dataflow.CmdAddChannel:
		if _, err := g.AddChannel(uint32(f.Capacity)); err != nil {
			if errors.Is(err, dataflow.ErrChannelLimit) {
				c.Metric("graph_add_channel_overflow", 1)
			}
			return 0, err
		}
		c.Println("CTRL: channel added")
		s.statsMetrics(c)
	case dataflow.CmdAddOperator, dataflow.CmdAddOperatorTyped:
		return 0, s.addOperator(c, f.Op)
	case dataflow.CmdStartGraph:
		return s.start(c, f.Steps), nil
	case dataflow.CmdEnableDeterministic:
		if s.m.sched.graphAdmit(c.Now(), f.Wcet, f.Period, f.Deadline) {
			c.Metric("det_admit_ok", 1)
			c.Println("CTRL: deterministic enabled")
		} else {
			c.Metric("det_admit_reject", 1)
			c.Println("CTRL: deterministic admit rejected")
		}
	}
	return 0, nil
}

// statsMetrics prints the two graph_stats METRIC lines of a successful
// graph frame.
func (s *dataflowState) statsMetrics(c *Ctx) {
	g := s.slot.Graph()
	c.Metric("graph_stats_ops", uint64(g.NumOperators()))
	c.Metric("graph_stats_channels", uint64(g.NumChannels()))
}

// addOperator is the body of frames 0x03 and 0x05 after the begin line
// (§3.3; reference rows 10–12 of §7).
func (s *dataflowState) addOperator(c *Ctx, w dataflow.WireOp) error {
	g := s.slot.Graph()
	nch := g.NumChannels()
	typed := ""
	if w.Typed {
		typed = "typed "
	}
	if w.In != dataflow.NoChannel && int(w.In) >= nch {
		c.Println("CTRL: " + typed + "in_ch OOR")
	}
	if w.Out != dataflow.NoChannel && int(w.Out) >= nch {
		c.Println("CTRL: " + typed + "out_ch OOR")
	}
	if w.Typed {
		c.Println("CTRL: inserting operator (typed)")
	} else {
		c.Println("CTRL: inserting operator")
	}
	_, err := g.AddOperator(w.Spec())
	var se *dataflow.SchemaError
	switch {
	case err == nil:
	case errors.Is(err, dataflow.ErrOperatorLimit):
		if !w.Typed {
			c.Metric("graph_add_operator_overflow", 1)
		}
		return err
	case errors.As(err, &se):
		switch {
		case se.OutOfRange && se.Out:
			c.Metric("graph_schema_out_of_range", uint64(se.Channel))
		case se.OutOfRange:
			c.Metric("graph_schema_in_of_range", uint64(se.Channel))
		default:
			c.Metric("schema_mismatch_count", se.Mismatches)
		}
		c.Println("CTRL: operator rejected (schema mismatch)")
		return err
	default:
		return err
	}
	switch {
	case !w.Typed:
		c.Println("CTRL: operator added")
	case w.InSchema == 0 && w.OutSchema == 0:
		c.Println("CTRL: operator added (untyped)")
	default:
		c.Println("CTRL: operator added (schema verified)")
	}
	s.statsMetrics(c)
	return nil
}

// start runs the graph for up to n steps (§3.4, §5.4) and returns the
// number of steps executed. Outside deterministic mode each step costs the
// operator's modelled cost (64 ticks by default) and the run stops when
// nothing is runnable; in deterministic mode the scheduler runs n slices.
func (s *dataflowState) start(c *Ctx, n uint32) uint64 {
	c.Println("[TRACE] graph_start")
	t0 := c.Now()
	before := s.executed
	if s.m.sched.detOn() {
		s.m.sched.runDetSlices(s.m, c, n)
	} else {
		if n > 1 && s.slot.Graph().Next() >= 0 {
			// Trace output runs to ~130 bytes a step: reserve it once
			// rather than let the buffer double its way up.
			c.out.Grow(int(min(n, 1<<18)) * 130)
		}
		for i := range n {
			if c.Exhausted() {
				c.Printf("[SISEMU] output limit reached: run stopped after %d of %d steps", i, n)
				break
			}
			if !s.stepOne(c, 0) {
				break
			}
			c.Advance(s.lastCost)
		}
	}
	c.Metric("scheduler_run_us", (c.Now() - t0).Us())
	c.Println("[TRACE] graph_end")
	c.Println("CTRL: ran steps")
	return s.executed - before
}

// Graph returns the machine's current dataflow graph (nil without one), so
// Go tests can inspect what console commands built: channel items,
// per-operator and per-channel metrics. Treat it as read-only; console
// commands own its state.
func (m *Machine) Graph() *dataflow.Graph { return m.dataflow.slot.Graph() }
