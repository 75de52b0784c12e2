package emu

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sisemu/sisemu/sched/clock"
)

func TestTokenizeKeepsFirst64(t *testing.T) {
	var parts []string
	for i := 0; i < 70; i++ {
		parts = append(parts, fmt.Sprint(i))
	}
	toks := Tokenize("  " + strings.Join(parts, "   ") + "  ")
	if len(toks) != MaxTokens {
		t.Fatalf("got %d tokens, want %d", len(toks), MaxTokens)
	}
	if toks[0] != "0" || toks[63] != "63" {
		t.Fatalf("kept the wrong tokens: first %q last %q", toks[0], toks[63])
	}
}

func TestTokenize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"     ", nil},
		{"a", []string{"a"}},
		{" graphctl  start 10 ", []string{"graphctl", "start", "10"}},
		{"a\tb", []string{"a\tb"}}, // only spaces separate: TAB never survives the editor
	} {
		got := Tokenize(tc.in)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) || len(got) != len(tc.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"", " ", "graphctl start 10", strings.Repeat("a ", 80), "\x00 \xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokenize(s)
		if len(toks) > MaxTokens {
			t.Fatalf("%d tokens", len(toks))
		}
		for _, tok := range toks {
			if tok == "" || strings.Contains(tok, " ") {
				t.Fatalf("bad token %q", tok)
			}
		}
		// Tokens are the space-separated fields, in order.
		fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' })
		if len(fields) > MaxTokens {
			fields = fields[:MaxTokens]
		}
		if strings.Join(fields, "\x00") != strings.Join(toks, "\x00") {
			t.Fatalf("Tokenize(%q) = %q, want %q", s, toks, fields)
		}
	})
}

func TestHelpListsEveryCommandSorted(t *testing.T) {
	m := MustNew(Options{})
	out := m.Exec("help").Output
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if lines[0] != "Available commands:" {
		t.Fatalf("first line %q", lines[0])
	}
	cmds := Commands()
	if len(lines)-1 != len(cmds) {
		t.Fatalf("help lists %d commands, table has %d", len(lines)-1, len(cmds))
	}
	for i, c := range cmds {
		if c.Summary == "" || len(c.Usage) == 0 {
			t.Errorf("command %q lacks a summary or usage", c.Name)
		}
		if want := "  " + c.Name + " - " + c.Summary; lines[i+1] != want {
			t.Errorf("line %d = %q, want %q", i+1, lines[i+1], want)
		}
		if i > 0 && cmds[i-1].Name >= c.Name {
			t.Errorf("not sorted: %q before %q", cmds[i-1].Name, c.Name)
		}
	}
	if strings.Contains(out, "CMD_DONE") {
		t.Error("help must not print CMD_DONE")
	}
}

func TestLineCostAndEmptyLines(t *testing.T) {
	m := MustNew(Options{})
	if r := m.Exec("   "); !r.Empty || r.Elapsed != 0 || m.Now() != 0 {
		t.Fatalf("empty line: %+v now=%d", r, m.Now())
	}
	r := m.Exec("nosuch")
	if r.Start != 0 || r.Elapsed != LineCost || m.Now() != LineCost {
		t.Fatalf("unknown command: start %d elapsed %d now %d", r.Start, r.Elapsed, m.Now())
	}
	r = m.Exec("vclock advance 2000000")
	if r.Start != LineCost || r.Elapsed != LineCost+125_000 {
		t.Fatalf("vclock advance: start %d elapsed %d", r.Start, r.Elapsed)
	}
}

func TestMetricSwitch(t *testing.T) {
	m := MustNew(Options{})
	run := func() Result {
		var b bytes.Buffer
		c := &Ctx{m: m, out: &b}
		c.Metric("switched", 1)
		c.MetricAlways("direct", 2)
		return Result{Output: b.String(), Metrics: c.metrics}
	}
	if r := run(); r.Output != "METRIC switched=1\nMETRIC direct=2\n" || len(r.Metrics) != 2 {
		t.Fatalf("metrics on: %q %v", r.Output, r.Metrics)
	}
	m.Exec("metricsctl off")
	if r := run(); r.Output != "METRIC direct=2\n" || len(r.Metrics) != 1 || r.Metrics[0] != (Metric{Key: "direct", Value: 2}) {
		t.Fatalf("metrics off: %q %v", r.Output, r.Metrics)
	}
}

// fakeTimer fires at fixed times and records when it fired.
type fakeTimer struct {
	name  string
	due   []clock.Ticks
	fired *[]string
}

func (f *fakeTimer) nextDue() (clock.Ticks, bool) {
	if len(f.due) == 0 {
		return 0, false
	}
	return f.due[0], true
}

func (f *fakeTimer) fire(now clock.Ticks, c *Ctx) {
	for len(f.due) > 0 && f.due[0] <= now {
		*f.fired = append(*f.fired, fmt.Sprintf("%s@%d", f.name, now))
		c.Printf("[%s] tick at %d", f.name, now)
		f.due = f.due[1:]
	}
}

func TestTimersFireInTimeOrderTiesBySourceOrder(t *testing.T) {
	m := MustNew(Options{})
	var fired []string
	m.timers = append(m.timers,
		&fakeTimer{name: "a", due: []clock.Ticks{100, 62_500, 70_000}, fired: &fired},
		&fakeTimer{name: "b", due: []clock.Ticks{50, 62_500, 200_000}, fired: &fired},
	)
	r := m.Exec("vclock")
	// The command runs at 0; the events up to its line cost (62,500) fire
	// after it, into its output, in time order, ties to the earlier source.
	want := "[VCLOCK] ticks=0 ns=0\n[b] tick at 50\n[a] tick at 100\n[a] tick at 62500\n[b] tick at 62500\n"
	if r.Output != want {
		t.Fatalf("output:\n%s\nwant:\n%s", r.Output, want)
	}
	r = m.Exec("vclock advance 100000") // to 62,500 + 6,250 = 68,750; then the line cost
	want = "[VCLOCK] ticks=68750 ns=1100000\n[a] tick at 70000\n"
	if r.Output != want {
		t.Fatalf("output:\n%s\nwant:\n%s", r.Output, want)
	}
	if got := strings.Join(fired, " "); got != "b@50 a@100 a@62500 b@62500 a@70000" {
		t.Fatalf("fired %s", got)
	}
}

// stepClock is a real-time source a test moves by hand, at 1 GHz.
type stepClock struct{ ns uint64 }

func (s *stepClock) Now() clock.Ticks  { return clock.Ticks(s.ns) }
func (s *stepClock) Frequency() uint64 { return 1_000_000_000 }

func TestMachineFollowsARealClock(t *testing.T) {
	src := &stepClock{ns: 5_000_000_000} // the source's origin is wherever it is at boot
	m := MustNew(Options{Clock: src})
	if out := m.Exec("vclock").Output; out != "[VCLOCK] ticks=0 ns=0\n" {
		t.Fatalf("at boot: %q", out)
	}
	src.ns += 2_000_000_000 // two real seconds pass
	if out := m.Exec("vclock").Output; out != "[VCLOCK] ticks=125000000 ns=2000000000\n" {
		t.Fatalf("after 2 s: %q", out)
	}
	// Virtual costs already ahead of real time are kept: time never goes back.
	if out := m.Exec("vclock").Output; out != "[VCLOCK] ticks=125062500 ns=2001000000\n" {
		t.Fatalf("next line: %q", out)
	}
	if got := rescale(clock.Ticks(3600_000_000_000), 1_000_000_000); got != 3600*clock.Second {
		t.Fatalf("an hour of ns: %d", got)
	}
}

// parseMetricLines is the driver's reading of console.md §6: every output
// line starting with `METRIC `, split at the first '=', key and value trimmed.
func parseMetricLines(out string) []Metric {
	var ms []Metric
	for _, l := range strings.Split(out, "\n") {
		rest, ok := strings.CutPrefix(l, "METRIC ")
		if !ok {
			continue
		}
		k, v, _ := strings.Cut(rest, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if n, err := strconv.ParseUint(v, 10, 64); err == nil {
			ms = append(ms, Metric{Key: k, Value: n})
		} else {
			ms = append(ms, Metric{Key: k, Text: v})
		}
	}
	return ms
}

// TestResultMetricsAreEveryMetricLine: Result.Metrics holds every METRIC
// line of Result.Output in order, also those a command prints literally
// (rtaivalidation's `ai_inference_latency_us=<x>.<y>`, temporaliso's
// constants), as the kernel's driver parses them.
func TestResultMetricsAreEveryMetricLine(t *testing.T) {
	m := MustNew(Options{})
	defer m.Close()
	r := m.Exec("temporaliso")
	found := false
	for _, mt := range r.Metrics {
		if mt == (Metric{Key: "ai_workload_latency_us", Text: "12.5"}) {
			found = true
		}
	}
	if !found {
		t.Errorf("temporaliso: ai_workload_latency_us=12.5 missing from %v", r.Metrics)
	}
	for _, line := range append([]string{"rtaivalidation", "graphctl create", "graphctl stats", "phase3validation"}, randomScript(3, 400)...) {
		r := m.Exec(line)
		if want := parseMetricLines(r.Output); !slices.Equal(r.Metrics, want) {
			t.Fatalf("%q: Metrics %v, output's METRIC lines %v", line, r.Metrics, want)
		}
	}
}

// TestOutputLimitStopsARunawayStart: a graph that never blocks and
// `graphctl start 4294967295` would print hundreds of gigabytes; the run
// stops at the output limit, says so, and still closes with CMD_DONE.
func TestOutputLimitStopsARunawayStart(t *testing.T) {
	m := MustNew(Options{})
	m.Exec("graphctl create")
	m.Exec("graphctl add-operator 1 --in none --out none --prio 1")
	r := m.Exec("graphctl start 4294967295")
	if len(r.Output) < MaxOutput || len(r.Output) > MaxOutput+4096 {
		t.Fatalf("output of %d bytes, want just over %d", len(r.Output), MaxOutput)
	}
	tail := r.Output[len(r.Output)-400:]
	if !strings.Contains(tail, "[SISEMU] output limit reached: run stopped after ") || !strings.HasSuffix(tail, "CMD_DONE\n") {
		t.Fatalf("tail:\n%s", tail)
	}
}

// TestCmdDoneStaysLastWhenTimersFireInTheLineCost: console.md §5 — CMD_DONE
// is always the last output line before the prompt. Events falling due in
// the line cost after a command that printed it still belong to the line's
// output, but go before the terminator.
func TestCmdDoneStaysLastWhenTimersFireInTheLineCost(t *testing.T) {
	m := MustNew(Options{})
	defer m.Close()
	var fired []string
	m.timers = append(m.timers, &fakeTimer{name: "w", due: []clock.Ticks{30_000}, fired: &fired})
	r := m.Exec("graphctl destroy")
	want := "[GRAPH] Graph destroyed\n[w] tick at 30000\nCMD_DONE\n"
	if r.Output != want || !r.Done {
		t.Fatalf("output %q (done %v), want %q", r.Output, r.Done, want)
	}
	// A command without CMD_DONE keeps the plain order.
	m.timers[len(m.timers)-1] = &fakeTimer{name: "w", due: []clock.Ticks{100_000}, fired: &fired}
	if r := m.Exec("vclock"); r.Output != "[VCLOCK] ticks=62500 ns=1000000\n[w] tick at 100000\n" {
		t.Fatalf("vclock output %q", r.Output)
	}
}
