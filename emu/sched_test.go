package emu

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sisemu/sisemu/sched"
	"github.com/sisemu/sisemu/sched/clock"
)

// schedSnapshot is everything det can observe about the graph scheduler:
// the "no state change" oracle for rejected input.
func schedSnapshot(m *Machine) string {
	st, ok := m.ScheduleStatus()
	if !ok {
		return "no scheduler"
	}
	return fmt.Sprintf("%+v %+v %v", st, m.ScheduleTrace(), m.sched.detOn())
}

// FuzzDet feeds arbitrary det arguments to a machine with a graph and one
// admitted server: nothing panics, a parse error prints one line and
// changes no state, and every output line is a det line.
func FuzzDet(f *testing.F) {
	for _, s := range []string{
		"", "on", "on 1 2", "on 1000000 10000000 10000000", "on +5 +10 +10 extra", "on x 1 1", "on 1 x 1",
		"on 1 1 x", "on 18446744073709551616 1 1", "off", "status", "reset", "trace", "trace 3", "trace json",
		"trace 2 json", "trace clear", "trace x", "trace 1 2", "servers", "demand 0 5", "demand 9 5",
		"demand 0 0", "demand x 1", "demand", "bogus",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		m := MustNew(Options{})
		m.Exec("graphctl create")
		m.Exec("det on 2000000 10000000 0")
		m.Exec("graphctl start 3")
		args := Tokenize(line)
		cmd := parseDet(args)
		before := schedSnapshot(m)
		out := m.Exec("det " + line).Output
		if cmd.op == detBad {
			if out != cmd.errLine+"\n" {
				t.Fatalf("det %q: output %q, want %q", line, out, cmd.errLine)
			}
			if after := schedSnapshot(m); after != before {
				t.Fatalf("det %q changed state:\n%s\n%s", line, before, after)
			}
			return
		}
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if !strings.HasPrefix(l, "[DET") && !strings.HasPrefix(l, "METRIC det_admit_") && !strings.HasPrefix(l, "[{") && l != "[]" {
				t.Fatalf("det %q: unexpected line %q", line, l)
			}
		}
	})
}

// TestScheduleTraceAccessor: the Go accessor returns the ring that
// `det trace` prints, as typed records.
func TestScheduleTraceAccessor(t *testing.T) {
	m := MustNew(Options{})
	if m.ScheduleTrace() != nil {
		t.Fatal("trace before any graph")
	}
	if _, ok := m.ScheduleStatus(); ok {
		t.Fatal("status before any graph")
	}
	m.Exec("graphctl create")
	m.Exec("det on 2000000 10000000 0")
	m.Exec("graphctl start 4")
	got := m.ScheduleTrace()
	want := []sched.JobRecord{{Seq: 1, K: 0, Task: 0, ReleaseNs: 1_000_000, DeadlineNs: 11_000_000, StartSlice: 2, FinishSlice: 3, RuntimeNs: 2_000_000}}
	if len(got) != 1 || got[0] != want[0] {
		t.Fatalf("trace %+v, want %+v", got, want)
	}
	if out := m.Exec("det trace").Output; !strings.Contains(out, "job=1 task=0 k=0 release_ns=1000000 deadline_ns=11000000 start_slice=2 finish_slice=3 runtime_ns=2000000 missed=0") {
		t.Fatalf("det trace: %q", out)
	}
	// The accessor returns a copy.
	got[0].Seq = 99
	if m.ScheduleTrace()[0].Seq != 1 {
		t.Fatal("accessor shares the ring")
	}
}

// TestDetSlicesAdvanceTheClock: `graphctl start n` in det mode passes n·L
// whatever runs, and the line cost comes on top.
func TestDetSlicesAdvanceTheClock(t *testing.T) {
	m := MustNew(Options{})
	m.Exec("graphctl create")
	m.Exec("det on 1000000 4000000 0")
	r := m.Exec("graphctl start 37")
	if r.Elapsed != 37*62_500+LineCost {
		t.Fatalf("elapsed %d ticks", r.Elapsed)
	}
	if !strings.Contains(r.Output, "METRIC scheduler_run_us=37000\n") {
		t.Fatalf("output %q", r.Output)
	}
}

// TestDestroyedGraphStopsTheScheduler: after graphctl destroy (reference:
// the slot is emptied), det sees no graph and the scheduler has no due
// events.
func TestDestroyedGraphStopsTheScheduler(t *testing.T) {
	m := MustNew(Options{})
	m.Exec("graphctl create")
	m.Exec("det on 1000000 4000000 0")
	m.Exec("graphctl destroy")
	if _, ok := m.sched.nextDue(); ok {
		t.Fatal("events due without a graph")
	}
	if out := m.Exec("det status").Output; out != "[DET] no active graph\n" {
		t.Fatalf("det status: %q", out)
	}
	if m.sched.detOn() {
		t.Fatal("det on without a graph")
	}
}

// TestAILatencyFormat pins the reference reading of Q12: AI latency is kept
// in ns and rtaivalidation prints the mean as µs with one truncated
// decimal; `det status` shows the AI line once there are inferences, and
// `det reset` clears it (Q11).
func TestAILatencyFormat(t *testing.T) {
	m := MustNew(Options{})
	m.Exec("graphctl create")
	m.sched.graph.RecordAIInference(12_300, false)
	m.sched.graph.RecordAIInference(12_399, true)
	out := m.Exec("rtaivalidation").Output
	for _, want := range []string{"METRIC ai_inference_latency_us=12.3\n", "METRIC ai_deadline_misses=1\n"} {
		if !strings.Contains(out, want) {
			t.Fatalf("rtaivalidation lacks %q:\n%s", want, out)
		}
	}
	if got := m.Exec("det status").Output; got != "[DET] enabled=0 wcet_ns=0 misses=0\n[DET] scheduler_deadline_misses=0\n[DET] ai_inferences=2 ai_deadline_misses=1 ai_avg_latency_ns=12349\n" {
		t.Fatalf("det status %q", got)
	}
	m.Exec("det reset")
	if got := m.Exec("det status").Output; strings.Contains(got, "ai_inferences") {
		t.Fatalf("after reset %q", got)
	}
	if out := m.Exec("rtaivalidation").Output; !strings.Contains(out, "METRIC ai_inference_latency_us=3.2\n") {
		t.Fatal("default latency after reset")
	}
}

// TestDetIdleSlicesAreCheap: a long det run over a mostly idle scheduler
// passes the idle stretches in one step each yet gives the slice-by-slice
// result (the clock passes n·L; every job runs and none misses).
func TestDetIdleSlicesAreCheap(t *testing.T) {
	m := MustNew(Options{})
	m.Exec("graphctl create")
	m.Exec("det on 1000000 1000000000 0")
	r := m.Exec("graphctl start 100000") // 100 s of 1 ms slices
	if r.Elapsed != 100_000*62_500+LineCost {
		t.Fatalf("elapsed %d", r.Elapsed)
	}
	st, _ := m.ScheduleStatus()
	// Admitted at 1 ms; slices 2..100001 ms: jobs at 1, 1001, …, 100001 ms.
	if st.JitterSamples != 101 || st.Misses != 0 {
		t.Fatalf("jobs %d misses %d", st.JitterSamples, st.Misses)
	}
	recs := m.ScheduleTrace()
	if len(recs) != 101 || recs[0].StartSlice != 2 || recs[100].StartSlice != 100_001 {
		t.Fatalf("%d records, last %+v", len(recs), recs[len(recs)-1])
	}
}

// TestDetRunMatchesSliceBySlice: the console path (det on, det demand,
// graphctl start with idle stretches passed in one step, events fired by
// the machine clock between commands) gives the trace and counters of the
// scheduler driven directly, one Dispatch per slice.
func TestDetRunMatchesSliceBySlice(t *testing.T) {
	const L = clock.Ticks(62_500)
	for seed := uint64(1); seed <= 60; seed++ {
		r := rand.New(rand.NewPCG(seed, 0xde7))
		m := MustNew(Options{})
		m.Exec("graphctl create")
		ref, _ := sched.New(sched.Options{})
		servers := 0
		for range 3 + r.IntN(6) {
			switch r.IntN(4) {
			case 0, 1:
				p := uint64(2+r.IntN(40)) * 1_000_000
				q := 1 + uint64(r.Int64N(int64(p/3)))
				d := uint64(0)
				if r.IntN(2) == 0 {
					d = q + uint64(r.Int64N(int64(p-q)))
				}
				res := m.Exec(fmt.Sprintf("det on %d %d %d", q, p, d))
				_, err := ref.Admit(res.Start, q, p, d)
				if (err == nil) != strings.Contains(res.Output, "[DET] admitted") {
					t.Fatalf("seed %d: admission differs: %q vs %v", seed, res.Output, err)
				}
				if err == nil {
					servers++
				}
			case 2:
				if servers == 0 {
					continue
				}
				id := r.IntN(servers)
				ns := 1 + uint64(r.Int64N(8_000_000))
				res := m.Exec(fmt.Sprintf("det demand %d %d", id, ns))
				if err := ref.SetDemand(res.Start, id, ns); err != nil {
					t.Fatal(err)
				}
			case 3:
				n := uint64(1 + r.IntN(300))
				res := m.Exec(fmt.Sprintf("graphctl start %d", n))
				if servers == 0 {
					continue // det off: graphctl runs the graph without slices
				}
				for i := range n {
					if _, _, err := ref.Dispatch(res.Start + clock.Ticks(i)*L); err != nil {
						t.Fatal(err)
					}
				}
				if r.IntN(2) == 0 {
					m.Exec(fmt.Sprintf("vclock advance %d", r.Int64N(50_000_000)))
				}
			}
		}
		st, _ := m.ScheduleStatus()
		ref.Advance(m.Now())
		want := ref.Status()
		if fmt.Sprint(st) != fmt.Sprint(want) {
			t.Fatalf("seed %d: status\n%+v\nwant\n%+v", seed, st, want)
		}
		got, wantTr := m.ScheduleTrace(), ref.Trace(nil)
		if fmt.Sprint(got) != fmt.Sprint(wantTr) {
			t.Fatalf("seed %d: trace\n%+v\nwant\n%+v", seed, got, wantTr)
		}
	}
}

// BenchmarkDetSlices measures `graphctl start 1000` in det mode on a graph
// whose source and sink run in every slice the server gets (trace lines
// included): `go test ./emu -run - -bench DetSlices`.
func BenchmarkDetSlices(b *testing.B) {
	m := MustNew(Options{})
	for _, l := range []string{"graphctl create", "graphctl add-channel 8",
		"graphctl add-operator 1 --in none --out 0 --prio 10", "graphctl add-operator 2 --in 0 --out none --prio 1",
		"det on 8000000 10000000 0"} {
		m.Exec(l)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		m.Exec("graphctl start 1000")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1000), "ns/slice")
}

// FuzzDetScript runs short scripts of det, graphctl and vclock lines (the
// input split at ';', at most 12 lines): nothing panics or hangs, and the
// scheduler's trace stays well formed.
func FuzzDetScript(f *testing.F) {
	for _, s := range []string{
		"graphctl create;det on 1000000 4000000 0;graphctl start 10;det trace",
		"graphctl create;det on 1 2 1;det demand 0 99999999;graphctl start 50;vclock advance 1000000000;det status",
		"vclock advance 18446744073709551615;graphctl create;det on 5 10 0;graphctl start 4",
		"graphctl create;det on 1000000 2000000 0;vclock advance 18446744073709551615;det status;graphctl start 3",
		"graphctl create;det on 500000 1000000 10000000000;vclock advance 100000000000000;det servers",
		"graphctl create;graphctl add-channel 1;graphctl add-operator 1 --in none --out 0;det on 500000 1000000 0;graphctl start 20;det off;det servers",
	} {
		f.Add(s)
	}
	allowed := []string{"det", "graphctl", "vclock"}
	f.Fuzz(func(t *testing.T, script string) {
		m := MustNew(Options{})
		lines := strings.Split(script, ";")
		if len(lines) > 12 {
			lines = lines[:12]
		}
		for _, l := range lines {
			toks := Tokenize(l)
			if len(toks) == 0 {
				continue
			}
			ok := false
			for _, a := range allowed {
				ok = ok || toks[0] == a
			}
			if !ok {
				continue
			}
			// Keep runs short: at most 2,000 slices per start.
			if toks[0] == "graphctl" && len(toks) > 2 && toks[1] == "start" {
				if n, ok := parseU64(toks[2]); !ok || n > 2000 {
					continue
				}
			}
			m.Exec(l)
		}
		for i, r := range m.ScheduleTrace() {
			if r.Seq == 0 || (r.FinishSlice >= 0 && r.StartSlice > r.FinishSlice) || (!r.Missed && r.FinishSlice < 0) {
				t.Fatalf("record %d malformed: %+v", i, r)
			}
		}
	})
}

// TestOutputLimitStopsARunawayDetStart: divergence C5 holds in det mode
// too. A det graph whose server runs most slices and an operator that never
// blocks would print hundreds of gigabytes for `graphctl start 4294967295`
// (and `graphctl start 1000000` printed 123 MB); the run stops once the
// output passes the limit, says how many slices ran, and closes as usual.
func TestOutputLimitStopsARunawayDetStart(t *testing.T) {
	m := MustNew(Options{})
	m.Exec("graphctl create")
	m.Exec("graphctl add-operator 1 --in none --out none --prio 1")
	if out := m.Exec("det on 8000000 10000000 10000000").Output; !strings.Contains(out, "[DET] admitted") {
		t.Fatalf("det on: %q", out)
	}
	before := m.Now()
	r := m.Exec("graphctl start 4294967295")
	if len(r.Output) < MaxOutput || len(r.Output) > MaxOutput+4096 {
		t.Fatalf("output of %d bytes, want just over %d", len(r.Output), MaxOutput)
	}
	tail := r.Output[len(r.Output)-400:]
	i := strings.Index(tail, "[SISEMU] output limit reached: run stopped after ")
	if i < 0 || !strings.Contains(tail[i:], "[TRACE] graph_end\nCTRL: ran steps\n[CTL] ok\nExecution complete: 4294967295 steps\n") || !strings.HasSuffix(tail, "CMD_DONE\n") {
		t.Fatalf("tail:\n%s", tail)
	}
	var k, n uint64
	if _, err := fmt.Sscanf(tail[i:], "[SISEMU] output limit reached: run stopped after %d of %d steps", &k, &n); err != nil || n != 4294967295 || k == 0 || k >= n {
		t.Fatalf("limit line %q: k=%d n=%d err=%v", tail[i:], k, n, err)
	}
	// The clock passed exactly the k slices that ran, then the line cost.
	if got := m.Now() - before; got != clock.Ticks(k)*62_500+LineCost {
		t.Fatalf("clock passed %d ticks for %d slices", got, k)
	}
	// The scheduler is consistent afterwards: a short run still works.
	if out := m.Exec("graphctl start 3").Output; !strings.Contains(out, "METRIC scheduler_run_us=3000\n") {
		t.Fatalf("next run: %q", out)
	}
}

// TestDetAfterAdvanceToTheEndOfTime: `vclock advance 18446744073709551615`
// takes the machine clock to where its ns saturate; the next det command
// brings the idle graph scheduler up to it arithmetically (it used to
// process ~10^13 events one at a time and never returned).
func TestDetAfterAdvanceToTheEndOfTime(t *testing.T) {
	m := MustNew(Options{})
	m.Exec("graphctl create")
	m.Exec("det on 1000000 2000000 0") // at 1 ms: jobs at 1 ms + k·2 ms
	m.Exec("vclock advance 18446744073709551615")
	const end = ^uint64(0) - 1 // the last ns an event can fall due at
	misses := (end - 1_000_000) / 2_000_000
	want := fmt.Sprintf("[DET] enabled=1 wcet_ns=1000000 misses=0\n[DET] scheduler_deadline_misses=%d\n", misses)
	if got := m.Exec("det status").Output; got != want {
		t.Fatalf("det status %q, want %q", got, want)
	}
}

// TestDetRejectsDeadlineBeyondPeriod: a relative deadline longer than the
// period is refused, as SCHED_DEADLINE refuses it (Q <= D <= P). Such a
// server (D = 10 s, P = 1 ms) was admitted, and the idle scheduler then
// advanced one event at a time (bulk assumes D <= 4096·P): `det status`
// after a day of `vclock advance` took minutes, after a year, days.
func TestDetRejectsDeadlineBeyondPeriod(t *testing.T) {
	m := MustNew(Options{})
	m.Exec("graphctl create")
	if out := m.Exec("det on 500000 1000000 10000000000").Output; out != "METRIC det_admit_reject=1\n[DET] rejected\n" {
		t.Fatalf("det on: %q", out)
	}
	if out := m.Exec("det on 500000 1000000 1000001").Output; out != "METRIC det_admit_reject=1\n[DET] rejected\n" {
		t.Fatalf("det on D = P + 1: %q", out)
	}
	if out := m.Exec("det on 500000 1000000 1000000").Output; out != "METRIC det_admit_ok=1\n[DET] admitted\n" {
		t.Fatalf("det on D = P: %q", out)
	}
}
