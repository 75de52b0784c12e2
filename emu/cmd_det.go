package emu

import (
	"strconv"
	"strings"

	"github.com/sisemu/sisemu/sched"
)

func init() {
	register(Command{
		Name:    "det",
		Summary: "Deterministic mode: CBS/EDF admission, status, trace and servers of the graph scheduler",
		Usage: []string{
			"Usage: det on <wcet_ns> <period_ns> <deadline_ns> | off | status | reset",
			"       det trace [N] [json] | trace clear | servers | demand <id> <ns>",
		},
		Run: runDet,
	})
}

// Kernel usage lines of det (sched.md §1.1).
const (
	detUsage      = "Usage: det on <wcet_ns> <period_ns> <deadline_ns> | off | status | reset"
	detUsageOn    = "Usage: det on <wcet_ns> <period_ns> <deadline_ns>"
	detUsageOther = "Usage: det on <wcet> <period> <deadline> | off | status | reset"
	detUsageTrace = "Usage: det trace [N] [json] | trace clear"
	detUsageDem   = "Usage: det demand <id> <ns>"
)

// detOp is a parsed det subcommand.
type detOp uint8

const (
	detBad detOp = iota // errLine holds the line to print
	detOnOp
	detOffOp
	detStatusOp
	detResetOp
	detTraceOp
	detTraceClearOp
	detServersOp
	detDemandOp
)

// detCmd is the result of parsing det's arguments.
type detCmd struct {
	op                  detOp
	wcet, period, dline uint64
	n                   uint64 // trace: last n records
	hasN                bool   // trace: n was given (else all records)
	json                bool
	id                  uint64 // demand: server id
	ns                  uint64 // demand: ns per job
	errLine             string
}

// parseU64 parses an unsigned decimal as the kernel does: an optional
// leading '+', digits only, no overflow.
func parseU64(s string) (uint64, bool) {
	s = strings.TrimPrefix(s, "+")
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 10, 64)
	return v, err == nil
}

// parseDet parses det's arguments. It never touches state; every bad input
// yields a line to print (sched.md §1.1 for the kernel's lines).
func parseDet(args []string) detCmd {
	if len(args) == 0 {
		return detCmd{errLine: detUsage}
	}
	switch args[0] {
	case "on":
		if len(args) < 4 {
			return detCmd{errLine: detUsageOn}
		}
		var v [3]uint64
		for i, name := range []string{"wcet", "period", "deadline"} {
			x, ok := parseU64(args[1+i])
			if !ok {
				return detCmd{errLine: "[DET] invalid " + name}
			}
			v[i] = x
		}
		return detCmd{op: detOnOp, wcet: v[0], period: v[1], dline: v[2]}
	case "off":
		return detCmd{op: detOffOp}
	case "status":
		return detCmd{op: detStatusOp}
	case "reset":
		return detCmd{op: detResetOp}
	case "servers":
		return detCmd{op: detServersOp}
	case "trace":
		if len(args) == 2 && args[1] == "clear" {
			return detCmd{op: detTraceClearOp}
		}
		c := detCmd{op: detTraceOp}
		rest := args[1:]
		if len(rest) > 0 && rest[0] != "json" {
			n, ok := parseU64(rest[0])
			if !ok {
				return detCmd{errLine: detUsageTrace}
			}
			c.n, c.hasN = n, true
			rest = rest[1:]
		}
		if len(rest) > 0 && rest[0] == "json" {
			c.json = true
			rest = rest[1:]
		}
		if len(rest) > 0 {
			return detCmd{errLine: detUsageTrace}
		}
		return c
	case "demand":
		if len(args) < 3 {
			return detCmd{errLine: detUsageDem}
		}
		id, ok := parseU64(args[1])
		if !ok {
			return detCmd{errLine: "[DET] invalid id"}
		}
		ns, ok := parseU64(args[2])
		if !ok || ns == 0 {
			return detCmd{errLine: "[DET] invalid ns"}
		}
		return detCmd{op: detDemandOp, id: id, ns: ns}
	}
	return detCmd{errLine: detUsageOther}
}

// runDet is the det command (sched.md §1.1, §4.2, §4.4, §4.5).
func runDet(m *Machine, c *Ctx) {
	cmd := parseDet(c.Args)
	if cmd.op == detBad {
		c.Println(cmd.errLine)
		return
	}
	g := m.sched.active()
	if g == nil {
		c.Println("[DET] no active graph")
		return
	}
	now := c.Now()
	g.Advance(now)
	m.sched.discardEvents()
	switch cmd.op {
	case detOnOp:
		if _, err := g.Admit(now, cmd.wcet, cmd.period, cmd.dline); err != nil {
			c.Metric("det_admit_reject", 1)
			c.Println("[DET] rejected")
		} else {
			c.Metric("det_admit_ok", 1)
			c.Println("[DET] admitted")
		}
		m.sched.discardEvents()
	case detOffOp:
		g.Off(now)
		c.Println("[DET] disabled")
	case detResetOp:
		g.ResetCounters()
		c.Println("[DET] counters reset")
	case detStatusOp:
		st := g.Status()
		c.Printf("[DET] enabled=%d wcet_ns=%d misses=%d", b2i(st.Enabled), st.WCETNs, st.Overruns)
		c.Printf("[DET] scheduler_deadline_misses=%d", st.Misses)
		if st.JitterSamples > 0 {
			c.Printf("[DET] jitter_samples=%d max_jitter_ns=%d mean_jitter_ns=%d", st.JitterSamples, st.MaxJitterNs, st.MeanJitterNs)
		}
		if st.AIInferences > 0 {
			c.Printf("[DET] ai_inferences=%d ai_deadline_misses=%d ai_avg_latency_ns=%d", st.AIInferences, st.AIDeadlineMisses, st.AIAvgLatencyNs)
		}
	case detServersOp:
		st := g.Status()
		for _, sv := range st.Servers {
			c.Printf("[DET] server id=%d q_ns=%d d_ns=%d p_ns=%d runtime_ns=%d deadline_ns=%d state=%s",
				sv.ID, sv.QNs, sv.DNs, sv.PNs, sv.RuntimeNs, sv.DeadlineNs, sv.State)
		}
		c.Printf("[DET] used_ppm=%d bound_ppm=%d accepted=%d rejected=%d", st.UsedPPM, st.BoundPPM, st.Accepted, st.Rejected)
	case detDemandOp:
		if cmd.id >= uint64(len(g.Status().Servers)) || g.SetDemand(now, int(cmd.id), cmd.ns) != nil {
			c.Printf("[DET] no such server id=%d", cmd.id)
			return
		}
		c.Printf("[DET] demand id=%d ns=%d", cmd.id, cmd.ns)
	case detTraceClearOp:
		g.ClearTrace()
		c.Println("[DET] trace cleared")
	case detTraceOp:
		recs := g.Trace(nil)
		if cmd.hasN && cmd.n < uint64(len(recs)) {
			recs = recs[uint64(len(recs))-cmd.n:]
		}
		if cmd.json {
			c.Println(traceJSON(recs))
			return
		}
		for _, r := range recs {
			c.Printf("[DET-TRACE] job=%d task=%d k=%d release_ns=%d deadline_ns=%d start_slice=%s finish_slice=%s runtime_ns=%d missed=%d",
				r.Seq, r.Task, r.K, r.ReleaseNs, r.DeadlineNs, sliceText(r.StartSlice, "-"), sliceText(r.FinishSlice, "-"), r.RuntimeNs, b2i(r.Missed))
		}
		c.Printf("[DET-TRACE] end count=%d", len(recs))
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func sliceText(v int64, none string) string {
	if v < 0 {
		return none
	}
	return strconv.FormatInt(v, 10)
}

// traceJSON renders job records as the one-line JSON array of sched.md
// §4.4: fixed key order, no spaces, null for an unset slice.
func traceJSON(recs []sched.JobRecord) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, r := range recs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"job":`)
		b.WriteString(strconv.FormatUint(r.Seq, 10))
		b.WriteString(`,"task":`)
		b.WriteString(strconv.FormatUint(uint64(r.Task), 10))
		b.WriteString(`,"k":`)
		b.WriteString(strconv.FormatUint(r.K, 10))
		b.WriteString(`,"release_ns":`)
		b.WriteString(strconv.FormatUint(r.ReleaseNs, 10))
		b.WriteString(`,"deadline_ns":`)
		b.WriteString(strconv.FormatUint(r.DeadlineNs, 10))
		b.WriteString(`,"start_slice":`)
		b.WriteString(sliceText(r.StartSlice, "null"))
		b.WriteString(`,"finish_slice":`)
		b.WriteString(sliceText(r.FinishSlice, "null"))
		b.WriteString(`,"runtime_ns":`)
		b.WriteString(strconv.FormatUint(r.RuntimeNs, 10))
		b.WriteString(`,"missed":`)
		b.WriteString(strconv.FormatBool(r.Missed))
		b.WriteByte('}')
	}
	b.WriteByte(']')
	return b.String()
}
