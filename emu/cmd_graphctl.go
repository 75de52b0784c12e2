package emu

import (
	"strconv"
	"strings"

	"github.com/sisemu/sisemu/dataflow"
)

// graphctl: the dataflow graph's shell (dataflow.md §2, §3).

const (
	graphctlUsageShort = "Usage: graphctl <create|add-channel|add-operator|start|det> ..."
	graphctlUsageLong  = "Usage: graphctl <create|add-channel|add-operator|start|det|stats|show|export-json|predict|feedback> ..."
	addOperatorUsage   = "Usage: graphctl add-operator <op_id> [--in N|none] [--out N|none] [--prio P] [--stage acquire|clean|explore|model|explain] [--in-schema S] [--out-schema S]"
	invalidStageLine   = "[CTL] invalid stage (use acquire|clean|explore|model|explain)"
)

func init() {
	register(Command{
		Name:    "graphctl",
		Summary: "Build and run the dataflow graph",
		Usage: []string{
			graphctlUsageLong,
			"  graphctl create [--num-operators N]",
			"  graphctl add-channel <capacity>",
			"  " + strings.TrimPrefix(addOperatorUsage, "Usage: "),
			"  graphctl start <steps>",
			"  graphctl destroy",
			"  graphctl det|deterministic <wcet_ns> <period_ns> <deadline_ns>",
			"  graphctl stats | show | export | export-json",
			"  graphctl predict <op_id> <recent_latency_us> <channel_depth> <priority>",
			"  graphctl feedback <op_id> <helpful|not_helpful|expected>",
		},
		Run: runGraphctl,
	})
}

func runGraphctl(m *Machine, c *Ctx) {
	if len(c.Args) == 0 {
		c.Println(graphctlUsageShort)
		return
	}
	s := &m.dataflow
	args := c.Args[1:]
	switch c.Args[0] {
	case "create":
		graphctlCreate(s, c, args)
	case "add-channel":
		graphctlAddChannel(s, c, args)
	case "add-operator":
		graphctlAddOperator(s, c, args)
	case "start":
		graphctlStart(s, c, args)
	case "destroy":
		// §7 row 2: the slot really empties.
		s.slot.Destroy()
		c.Println("[GRAPH] Graph destroyed")
		c.Done()
	case "det", "deterministic":
		graphctlDet(s, c, args)
	case "stats":
		graphctlStats(s, c)
	case "show", "export":
		graphctlShow(s, c)
	case "export-json":
		graphctlExportJSON(s, c)
	case "predict":
		graphctlPredict(c, args)
	case "feedback":
		graphctlFeedback(s, c, args)
	default:
		c.Println(graphctlUsageLong)
	}
}

// parseUint parses the kernel's unsigned decimal: an optional leading '+',
// then digits only, at most max.
func parseUint(s string, max uint64) (uint64, bool) {
	s = strings.TrimPrefix(s, "+")
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil || v > max {
		return 0, false
	}
	return v, true
}

// isDecimal reports an unsigned decimal of any size (for "out of range"
// versus "invalid").
func isDecimal(s string) bool {
	s = strings.TrimPrefix(s, "+")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

const (
	maxU8  = 0xFF
	maxU16 = 0xFFFF
	maxU32 = 0xFFFFFFFF
	maxU64 = ^uint64(0)
)

func ctlResult(c *Ctx, err error) {
	if err != nil {
		c.Println("[CTL] error")
	} else {
		c.Println("[CTL] ok")
	}
}

// graphctlCreate: §3.1. `--num-operators N` is kept as the graph's hint
// (never a limit); every other token is ignored.
func graphctlCreate(s *dataflowState, c *Ctx, args []string) {
	s.hint = 0
	for i := 0; i+1 < len(args); i++ {
		if args[i] == "--num-operators" {
			if v, ok := parseUint(args[i+1], 1<<20); ok {
				s.hint = int(v)
			}
		}
	}
	_, err := s.graphctlFrame(c, dataflow.Frame{Cmd: dataflow.CmdCreateGraph})
	s.hint = 0
	ctlResult(c, err)
	if err != nil {
		c.Println("Graph create error")
	} else {
		c.Println("Graph created")
	}
	c.Done()
}

// graphctlAddChannel: §3.2; the 17th channel per §7 row 9.
func graphctlAddChannel(s *dataflowState, c *Ctx, args []string) {
	if len(args) == 0 {
		c.Println("Usage: graphctl add-channel <capacity>")
		return
	}
	v, ok := parseUint(args[0], maxU32)
	if !ok {
		c.Println("[CTL] invalid capacity")
		return
	}
	if v == 0 || v > dataflow.MaxCapacity {
		c.Println("[CTL] capacity must be 1..65535")
		return
	}
	_, err := s.graphctlFrame(c, dataflow.Frame{Cmd: dataflow.CmdAddChannel, Capacity: uint16(v)})
	ctlResult(c, err)
}

// addOperatorArgs is a parsed `graphctl add-operator` line.
type addOperatorArgs struct {
	op     dataflow.WireOp
	schema bool // an --in-schema/--out-schema option was given: typed frame
}

// parseAddOperator parses `add-operator` arguments (§3.3). It returns the
// kernel's error line, or "" on success.
func parseAddOperator(args []string) (addOperatorArgs, string) {
	a := addOperatorArgs{op: dataflow.WireOp{In: dataflow.NoChannel, Out: dataflow.NoChannel,
		Priority: dataflow.DefaultPriority, Stage: dataflow.StageAcquire}}
	if len(args) == 0 {
		return a, addOperatorUsage
	}
	id, ok := parseUint(args[0], maxU32)
	if !ok {
		return a, "[CTL] invalid op_id"
	}
	a.op.ID = uint32(id)
	for i := 1; i < len(args); i++ {
		opt := args[i]
		name := opt
		switch opt {
		case "--priority":
			name = "--prio"
		case "--in", "--out", "--prio", "--stage", "--in-schema", "--out-schema":
		default:
			return a, "[CTL] unknown option"
		}
		if i+1 >= len(args) {
			return a, "[CTL] " + name + " requires a value"
		}
		i++
		val := args[i]
		switch name {
		case "--in", "--out":
			var ch uint16
			switch {
			case strings.EqualFold(val, "none"):
				ch = dataflow.NoChannel
			case isDecimal(val):
				v, ok := parseUint(val, maxU16)
				if !ok {
					return a, "[CTL] " + name + " out of range"
				}
				ch = uint16(v) // 65535 travels as none (§7 row 19)
			default:
				return a, "[CTL] invalid " + name
			}
			if name == "--in" {
				a.op.In = ch
			} else {
				a.op.Out = ch
			}
		case "--prio":
			v, ok := parseUint(val, maxU8)
			if !ok {
				return a, "[CTL] invalid --prio"
			}
			a.op.Priority = uint8(v)
		case "--stage":
			st, ok := dataflow.ParseStage(val)
			if !ok {
				return a, invalidStageLine
			}
			a.op.Stage = st
		case "--in-schema", "--out-schema":
			v, ok := parseUint(val, maxU32)
			if !ok {
				return a, "[CTL] invalid " + name
			}
			if name == "--in-schema" {
				a.op.InSchema = uint32(v)
			} else {
				a.op.OutSchema = uint32(v)
			}
			a.schema = true
		}
	}
	return a, ""
}

// graphctlAddOperator: §3.3 through frame 0x03 or 0x05; rejections per §7
// rows 10 and 11.
func graphctlAddOperator(s *dataflowState, c *Ctx, args []string) {
	a, bad := parseAddOperator(args)
	if bad != "" {
		c.Println(bad)
		return
	}
	f := dataflow.Frame{Cmd: dataflow.CmdAddOperator, Op: a.op}
	if a.schema {
		f.Cmd = dataflow.CmdAddOperatorTyped
		f.Op.Typed = true
	}
	_, err := s.graphctlFrame(c, f)
	ctlResult(c, err)
	if err != nil {
		c.Println("[GRAPH] add-operator failed")
	} else {
		c.Printf("[GRAPH] Added operator %d priority %d", a.op.ID, a.op.Priority)
	}
	c.Done()
}

// graphctlStart: §3.4 and §7 rows 3 and 4.
func graphctlStart(s *dataflowState, c *Ctx, args []string) {
	if len(args) == 0 {
		c.Println("Usage: graphctl start <steps>")
		return
	}
	v, ok := parseUint(args[0], maxU32)
	if !ok {
		c.Println("[CTL] invalid steps")
		return
	}
	k, err := s.graphctlFrame(c, dataflow.Frame{Cmd: dataflow.CmdStartGraph, Steps: uint32(v)})
	ctlResult(c, err)
	c.Printf("Execution complete: %d steps", v)
	c.MetricAlways("graph_steps_executed", k)
	c.Done()
}

// graphctlDet: §3.6; admission itself is the scheduler's.
func graphctlDet(s *dataflowState, c *Ctx, args []string) {
	if len(args) < 3 {
		c.Println("Usage: graphctl det <wcet_ns> <period_ns> <deadline_ns>")
		return
	}
	var vals [3]uint64
	for i, name := range []string{"wcet", "period", "deadline"} {
		v, ok := parseUint(args[i], maxU64)
		if !ok {
			c.Println("[CTL] invalid " + name)
			return
		}
		vals[i] = v
	}
	_, err := s.graphctlFrame(c, dataflow.Frame{Cmd: dataflow.CmdEnableDeterministic, Wcet: vals[0], Period: vals[1], Deadline: vals[2]})
	ctlResult(c, err)
}

// graphctlStats: §3.7 (METRIC lines ignore the switch).
func graphctlStats(s *dataflowState, c *Ctx) {
	g := s.slot.Graph()
	if g == nil {
		c.Println("GRAPH: no active graph")
		return
	}
	ops, chs := uint64(g.NumOperators()), uint64(g.NumChannels())
	c.Printf("GRAPH: counts ops=%d channels=%d", ops, chs)
	c.MetricAlways("graph_stats_ops", ops)
	c.MetricAlways("graph_stats_channels", chs)
}

func chanOrNone(ch uint16, none string) string {
	if ch == dataflow.NoChannel {
		return none
	}
	return strconv.FormatUint(uint64(ch), 10)
}

func schemaOrNone(s uint32, none string) string {
	if s == 0 {
		return none
	}
	return strconv.FormatUint(uint64(s), 10)
}

// graphctlShow: §3.8.
func graphctlShow(s *dataflowState, c *Ctx) {
	g := s.slot.Graph()
	if g == nil {
		c.Println("[GRAPH] no active graph")
		return
	}
	st := g.Status()
	c.Println("GRAPH EXPORT")
	c.Printf("channels=%d ops=%d", len(st.Channels), len(st.Operators))
	c.Println("CHANNELS:")
	for _, ch := range st.Channels {
		c.Printf(" ch idx=%d depth=%d schema=%s", ch.Index, ch.Depth, schemaOrNone(ch.Schema, "none"))
	}
	c.Println("OPERATORS:")
	for _, op := range st.Operators {
		c.Printf(" op id=%d in=%s out=%s prio=%d in_schema=%s out_schema=%s", op.ID,
			chanOrNone(op.In, "none"), chanOrNone(op.Out, "none"), op.Priority,
			schemaOrNone(op.InSchema, "none"), schemaOrNone(op.OutSchema, "none"))
	}
	c.Println("[GRAPH] export complete")
}

// graphctlExportJSON: §3.9, one line.
func graphctlExportJSON(s *dataflowState, c *Ctx) {
	g := s.slot.Graph()
	if g == nil {
		c.Println("[GRAPH] no active graph")
		return
	}
	st := g.Status()
	var b strings.Builder
	b.WriteString(`{"channels":[`)
	for i, ch := range st.Channels {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"idx":` + strconv.Itoa(int(ch.Index)) + `,"depth":` + strconv.Itoa(int(ch.Depth)) +
			`,"schema":` + schemaOrNone(ch.Schema, "null") + `}`)
	}
	b.WriteString(`],"operators":[`)
	for i, op := range st.Operators {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"id":` + strconv.FormatUint(uint64(op.ID), 10) + `,"in":` + chanOrNone(op.In, "null") +
			`,"out":` + chanOrNone(op.Out, "null") + `,"priority":` + strconv.Itoa(int(op.Priority)) +
			`,"in_schema":` + schemaOrNone(op.InSchema, "null") + `,"out_schema":` + schemaOrNone(op.OutSchema, "null") + `}`)
	}
	b.WriteString(`]}`)
	c.Println(b.String())
}

// graphctlPredict: §3.10 with the reference's deterministic rule (§7 row
// 18): HEALTHY iff latency ≤ 1000 µs and depth < 48; confidence 500.
func graphctlPredict(c *Ctx, args []string) {
	if len(args) < 4 {
		c.Println("Usage: graphctl predict <op_id> <recent_latency_us> <channel_depth> <priority>")
		return
	}
	id, ok := parseUint(args[0], maxU32)
	if !ok {
		c.Println("[GRAPH] invalid op_id")
		return
	}
	lat, ok := parseUint(args[1], maxU64)
	if !ok {
		c.Println("[GRAPH] invalid latency")
		return
	}
	depth, ok := parseUint(args[2], maxU64)
	if !ok {
		c.Println("[GRAPH] invalid depth")
		return
	}
	// args[3] is the priority: an unparsable one silently becomes 10 in
	// the kernel, and the reference rule does not use it either way.
	if lat <= 1000 && depth < 48 {
		c.Printf("[GRAPH] Operator %d prediction: HEALTHY (will meet deadline)", id)
	} else {
		c.Printf("[GRAPH] Operator %d prediction: UNHEALTHY (may miss deadline)", id)
	}
	c.Println("[GRAPH] Confidence: 500/1000")
}

// graphctlFeedback: §3.11; the record is kept on the machine.
func graphctlFeedback(s *dataflowState, c *Ctx, args []string) {
	if len(args) < 2 {
		c.Println("Usage: graphctl feedback <op_id> <helpful|not_helpful|expected>")
		return
	}
	id, ok := parseUint(args[0], maxU32)
	if !ok {
		c.Println("[GRAPH] invalid op_id")
		return
	}
	switch args[1] {
	case "helpful", "not_helpful", "not-helpful", "expected":
	default:
		c.Println("[GRAPH] Invalid feedback. Use: helpful, not_helpful, or expected")
		return
	}
	s.feedback = append(s.feedback, graphFeedback{Op: uint32(id), Word: args[1], At: c.Now()})
	c.Printf("[GRAPH] Feedback recorded for operator %d: %s", id, args[1])
	c.Println("[GRAPH] Use 'neuralctl retrain 10' to apply feedback to network")
}
