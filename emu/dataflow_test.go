package emu_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sisemu/sisemu/emu"
)

// graphState is everything graphctl can observe about the graph, plus the
// tokens and the graph scheduler's admissions (`graphctl det`): the "no
// state change" oracle. The schema mismatch counter is
// left out: counting rejected typed adds is its purpose (§3.3).
func graphState(m *emu.Machine) string {
	var b strings.Builder
	for _, l := range []string{"graphctl export-json", "ctlkey", "ctladmin", "ctlsubmit", "det servers"} {
		b.WriteString(m.Exec(l).Output)
	}
	if g := m.Graph(); g != nil {
		st := g.Status()
		fmt.Fprintf(&b, "%d %d %d %d\n", st.Produced, st.Consumed, st.InFlight, st.Steps)
	}
	return b.String()
}

// parseErrorPrefixes are the lines graphctl prints for arguments it rejects
// before sending a frame.
var parseErrorPrefixes = []string{"Usage: ", "[CTL] invalid", "[CTL] --", "[CTL] unknown option",
	"[CTL] capacity must be", "[GRAPH] invalid", "[GRAPH] Invalid feedback"}

func isParseError(out string) bool {
	if strings.Count(out, "\n") != 1 {
		return false
	}
	for _, p := range parseErrorPrefixes {
		if strings.HasPrefix(out, p) {
			return true
		}
	}
	return false
}

func seededMachine(t testing.TB) *emu.Machine {
	m := emu.MustNew(emu.Options{})
	for _, l := range []string{"graphctl create", "graphctl add-channel 3", "graphctl add-channel 1",
		"graphctl add-operator 1 --in none --out 0 --out-schema 5", "graphctl add-operator 2 --in 0 --out 1", "graphctl start 3"} {
		m.Exec(l)
	}
	return m
}

// FuzzGraphctlArgs: any argument line never panics; a rejected line
// (usage or parse error) changes nothing; CMD_DONE, when printed, is last.
func FuzzGraphctlArgs(f *testing.F) {
	for _, s := range []string{
		"", "create --num-operators 5", "add-channel 4", "add-channel 0", "add-channel +65535",
		"add-operator 1 --in none --out 0 --prio 10", "add-operator 1 --in 0 --out 1 --in-schema 5 --out-schema 6",
		"add-operator 1 --priority 300", "add-operator x", "add-operator 1 --stage model --in NONE",
		"add-operator 1 --in", "add-operator 1 --out 65535", "start 10", "start x", "det 1 2 3", "det 1 x 3",
		"deterministic 10 100 100", "stats", "show", "export-json", "predict 1 2 3 4", "feedback 1 helpful",
		"destroy", "status", "add-operator 4294967295 --bogus",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, args string) {
		m := seededMachine(t)
		before := graphState(m)
		r := m.Exec("graphctl " + args)
		if i := strings.Index(r.Output, "CMD_DONE\n"); i >= 0 && i != len(r.Output)-len("CMD_DONE\n") {
			t.Fatalf("CMD_DONE not last:\n%s", r.Output)
		}
		if isParseError(r.Output) {
			if r.Done {
				t.Fatalf("parse error with CMD_DONE: %q", r.Output)
			}
			if after := graphState(m); after != before {
				t.Fatalf("rejected %q changed state:\n%s\n--- before\n%s--- after\n%s", args, r.Output, before, after)
			}
		}
	})
}

// FuzzCtlhex: any hex argument never panics; a failing frame ([CTL] error
// or invalid hex) changes nothing.
func FuzzCtlhex(f *testing.F) {
	for _, s := range []string{
		"4300010008000000214c5254435f5353", "430002000a000000214c5254435f53534000",
		"4300030012000000214C5254435F535301000000FFFF00000A00", "430004000c000000214c5254435f535364000000",
		"430005001a000000214C5254435F535302000000000001000A000500000006000000",
		"4300060020000000214c5254435f5353e803000000000000d007000000000000d007000000000000",
		"430003000a000000214c5254435f53530100", "0x43", "43", "",
		// A typed add whose in-schema check mismatches (found by fuzzing).
		"430005001A000000214C5254435F5353000000000000000000000000000000000100",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, hex string) {
		m := seededMachine(t)
		before := graphState(m)
		r := m.Exec("ctlhex " + hex)
		if r.Done {
			t.Fatalf("ctlhex printed CMD_DONE")
		}
		if strings.HasSuffix(r.Output, "[CTL] error\n") || r.Output == "[CTL] invalid hex\n" {
			if after := graphState(m); after != before {
				t.Fatalf("failed frame %q changed state:\n%s", hex, r.Output)
			}
		}
	})
}

// TestDestroyThenStart: destroy empties the slot; start prints the kernel's
// error lines and runs nothing; a new create starts from scratch.
func TestDestroyThenStart(t *testing.T) {
	m := seededMachine(t)
	if m.Graph() == nil {
		t.Fatal("no graph after create")
	}
	m.Exec("graphctl destroy")
	if m.Graph() != nil {
		t.Fatal("destroy kept the graph")
	}
	r := m.Exec("graphctl start 7")
	want := "[CTL] error\nExecution complete: 7 steps\nMETRIC graph_steps_executed=0\nCMD_DONE\n"
	if r.Output != want || !r.Done {
		t.Fatalf("got %q", r.Output)
	}
	m.Exec("graphctl create")
	if st := m.Graph().Status(); len(st.Channels) != 0 || len(st.Operators) != 0 || st.Produced != 0 {
		t.Fatalf("fresh graph not empty: %+v", st)
	}
}

// TestCreateKeepsOperatorsHint: `graphctl create --num-operators N` is no
// limit but reaches the graph as its hint (§7 row 1, divergence D1); a
// create without it, or with a bad N, has none.
func TestCreateKeepsOperatorsHint(t *testing.T) {
	m := emu.MustNew(emu.Options{})
	for _, c := range []struct {
		line string
		hint int
	}{
		{"graphctl create --num-operators 5", 5},
		{"graphctl create", 0},
		{"graphctl create x --num-operators +12", 12},
		{"graphctl create --num-operators x", 0},
	} {
		if r := m.Exec(c.line); !r.Done {
			t.Fatalf("%s: %q", c.line, r.Output)
		}
		if got := m.Graph().Status().OperatorsHint; got != c.hint {
			t.Fatalf("%s: hint %d, want %d", c.line, got, c.hint)
		}
	}
}

// TestStartStepsAndClock: the run's virtual time is steps × 1,024 ns, the
// line cost comes on top, and items are conserved.
func TestStartStepsAndClock(t *testing.T) {
	m := emu.MustNew(emu.Options{})
	for _, l := range []string{"graphctl create", "graphctl add-channel 4", "graphctl add-channel 4",
		"graphctl add-operator 0 --in none --out 0 --prio 5", "graphctl add-operator 1 --in 0 --out 1 --prio 5",
		"graphctl add-operator 2 --in 1 --out none --prio 1"} {
		m.Exec(l)
	}
	r := m.Exec("graphctl start 1000")
	if r.Elapsed != 1000*64+emu.LineCost {
		t.Fatalf("elapsed %d ticks", r.Elapsed)
	}
	got := map[string]uint64{}
	for _, mt := range r.Metrics {
		got[mt.Key] = mt.Value
	}
	if got["scheduler_run_us"] != 1024 || got["graph_steps_executed"] != 1000 {
		t.Fatalf("metrics %v", got)
	}
	st := m.Graph().Status()
	if st.Produced != st.Consumed+st.InFlight || st.Steps != 1000 {
		t.Fatalf("%+v", st)
	}
	for _, ch := range st.Channels {
		if ch.HighWater > ch.Capacity {
			t.Fatalf("channel over capacity: %+v", ch)
		}
	}
	if n := strings.Count(r.Output, "[TRACE] op_end"); n != 1000 {
		t.Fatalf("%d op_end lines", n)
	}
}

// build32 makes a 32-operator, 16-channel graph in which items keep
// flowing: 8 independent source → transform → transform → sink chains of
// capacity 8, mixed priorities.
func build32(tb testing.TB) *emu.Machine {
	m := emu.MustNew(emu.Options{})
	m.Exec("graphctl create --num-operators 32")
	for range 16 {
		m.Exec("graphctl add-channel 8")
	}
	id := 0
	for chain := range 8 {
		a, b := 2*chain, 2*chain+1
		// transform-transform share channel b: a -> b -> b would loop, so
		// chain: source -> a -> (transform) -> b -> sink, plus a second
		// transform b -> b keeping the graph busy.
		for _, l := range []string{
			fmt.Sprintf("graphctl add-operator %d --in none --out %d --prio %d", id, a, 10+chain),
			fmt.Sprintf("graphctl add-operator %d --in %d --out %d --prio %d", id+1, a, b, 5+chain),
			fmt.Sprintf("graphctl add-operator %d --in %d --out %d --prio %d", id+2, b, b, 3),
			fmt.Sprintf("graphctl add-operator %d --in %d --out none --prio %d", id+3, b, chain),
		} {
			if r := m.Exec(l); !strings.Contains(r.Output, "[CTL] ok") {
				tb.Fatalf("%s: %s", l, r.Output)
			}
		}
		id += 4
	}
	return m
}

func TestThirtyTwoOperatorRun(t *testing.T) {
	m := build32(t)
	r := m.Exec("graphctl start 100000")
	if !strings.Contains(r.Output, "METRIC graph_steps_executed=100000\n") {
		t.Fatal(r.Output[len(r.Output)-200:])
	}
	st := m.Graph().Status()
	if len(st.Operators) != 32 || st.Produced != st.Consumed+st.InFlight {
		t.Fatalf("%+v", st)
	}
	// Strict priorities: the top chain (source prio 17, transform 12, the
	// b→b transform 3, sink 7) always has a runnable operator, so it alone
	// runs; lower chains fill and wait.
	top := st.Operators[28:32]
	if top[0].Runs == 0 || top[1].Runs == 0 || top[3].Runs == 0 || st.Operators[0].Runs != 8 {
		t.Fatalf("runs: top chain %+v, chain 0 source %d", top, st.Operators[0].Runs)
	}
}

// BenchmarkGraphctlStart100k: `graphctl start 100000` on a 32-operator
// graph, in process (target: < 50 ms per op).
func BenchmarkGraphctlStart100k(b *testing.B) {
	m := build32(b)
	b.ResetTimer()
	for range b.N {
		r := m.Exec("graphctl start 100000")
		if !r.Done {
			b.Fatal(r.Output)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/start")
}
