package emu

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/sisemu/sisemu/sched/clock"
)

// Ctx is what a command's Run function writes its output through. It knows
// the arguments, collects the output lines and METRIC values, and lets a
// command spend modelled virtual time.
type Ctx struct {
	// Args are the tokens after the command name.
	Args []string
	// Name is the command name as typed.
	Name string

	m       *Machine
	out     *bytes.Buffer
	metrics []Metric
	done    bool
}

// Metric is one `METRIC key=value` line a command printed.
type Metric struct {
	Key string
	// Value is the value when it is an unsigned decimal (console.md §6).
	Value uint64
	// Text is the value as printed when it is not an unsigned decimal (the
	// literal lines of rtaivalidation and temporaliso, e.g. `12.5`); empty
	// otherwise.
	Text string
}

// Println writes s followed by LF.
func (c *Ctx) Println(s string) {
	start := c.out.Len()
	c.out.WriteString(s)
	c.out.WriteByte('\n')
	c.noteMetrics(start)
}

// Printf formats a line and writes it followed by LF.
func (c *Ctx) Printf(format string, args ...any) {
	start := c.out.Len()
	fmt.Fprintf(c.out, format, args...)
	c.out.WriteByte('\n')
	c.noteMetrics(start)
}

var metricPrefix = []byte("METRIC ")

// noteMetrics records the METRIC lines a command printed literally, from
// offset start of the output on, the way the kernel's driver reads them:
// split at the first '=', key and value trimmed.
func (c *Ctx) noteMetrics(start int) {
	seg := c.out.Bytes()[start:]
	if !bytes.Contains(seg, metricPrefix) {
		return
	}
	for len(seg) > 0 {
		line := seg
		if i := bytes.IndexByte(seg, '\n'); i >= 0 {
			line, seg = seg[:i], seg[i+1:]
		} else {
			seg = nil
		}
		rest, ok := bytes.CutPrefix(line, metricPrefix)
		if !ok {
			continue
		}
		k, v, _ := bytes.Cut(rest, []byte("="))
		mt := Metric{Key: string(bytes.TrimSpace(k))}
		v = bytes.TrimSpace(v)
		if n, err := strconv.ParseUint(string(v), 10, 64); err == nil {
			mt.Value = n
		} else {
			mt.Text = string(v)
		}
		c.metrics = append(c.metrics, mt)
	}
}

// Lines writes each string as a line.
func (c *Ctx) Lines(lines ...string) {
	for _, l := range lines {
		c.Println(l)
	}
}

// Metric prints `METRIC key=value` through the metric emitter: suppressed
// while the metric switch is off (console.md §6).
func (c *Ctx) Metric(key string, value uint64) {
	if !c.m.metricsOn {
		return
	}
	c.MetricAlways(key, value)
}

// MetricAlways prints `METRIC key=value` directly, ignoring the switch, for
// the lines the kernel prints without its metric emitter.
func (c *Ctx) MetricAlways(key string, value uint64) {
	c.out.WriteString("METRIC ")
	c.out.WriteString(key)
	c.out.WriteByte('=')
	c.out.WriteString(strconv.FormatUint(value, 10))
	c.out.WriteByte('\n')
	c.metrics = append(c.metrics, Metric{Key: key, Value: value})
}

// Done prints the CMD_DONE terminator. Call it last, and only where the
// kernel prints it (console.md §5).
func (c *Ctx) Done() {
	c.Println("CMD_DONE")
	c.done = true
}

// Usage prints the command's registered usage lines.
func (c *Ctx) Usage() {
	if cmd, ok := commands[c.Name]; ok {
		c.Lines(cmd.Usage...)
	}
}

// Now returns the machine's current virtual time.
func (c *Ctx) Now() clock.Ticks { return c.m.Now() }

// Advance spends d ticks of modelled work inside the command: the clock moves
// forward and every timer event falling due on the way fires in time order,
// printing into this command's output.
func (c *Ctx) Advance(d clock.Ticks) { c.m.advanceTo(c.m.Now().Add(d), c) }

// AdvanceTo is Advance to an absolute time (no-op if t is not later than now).
func (c *Ctx) AdvanceTo(t clock.Ticks) { c.m.advanceTo(t, c) }

// MaxOutput is the soft limit on one command's output. Commands that loop
// (graphctl start of billions of steps) check Exhausted and stop early, so a
// pathological line cannot exhaust the host's memory.
const MaxOutput = 64 << 20

// Exhausted reports that the command has printed MaxOutput bytes or more; a
// looping command stops, says so, and prints its closing lines.
func (c *Ctx) Exhausted() bool { return c.out.Len() >= MaxOutput }

// Machine returns the machine the command runs on.
func (c *Ctx) Machine() *Machine { return c.m }
