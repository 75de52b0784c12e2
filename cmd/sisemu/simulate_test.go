package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSchedSimulateExample(t *testing.T) {
	dir := t.TempDir()
	jsonPath := filepath.Join(dir, "trace.json")
	svgPath := filepath.Join(dir, "gantt.svg")
	var out, errb bytes.Buffer
	rc := run([]string{"sched", "simulate", "--taskset", "../../examples/taskset.json", "--json", jsonPath, "--svg", svgPath}, &out, &errb)
	if rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	want := `sisemu sched simulate: 5 tasks, slice 1000000 ns, until 60000000 ns (60 slices), clock virtual
task 0 control    q=2000000 d=6000000 p=10000000 admit=0: server 0 jobs=6 finished=6 missed=0
task 1 vision     q=4000000 d=20000000 p=20000000 admit=0: server 1 jobs=3 finished=2 missed=1
task 2 planner    q=3000000 d=15000000 p=15000000 admit=2000000: server 3 jobs=4 finished=4 missed=0
task 3 logger     q=5000000 d=12000000 p=30000000 admit=0: server 2 jobs=2 finished=2 missed=0
task 4 greedy     q=9000000 d=10000000 p=10000000 admit=0: rejected (sched: utilisation bound exceeded: 566666 + 900000 > 1000000 ppm)
total: misses=1 overruns=1 jitter_samples=14 max_jitter_ns=2000000 mean_jitter_ns=142857 p99_jitter_ns=0 events=103
json: ` + jsonPath + `
svg: ` + svgPath + `
`
	if out.String() != want {
		t.Fatalf("output:\n%s\nwant:\n%s", out.String(), want)
	}
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var tr struct {
		Jobs []struct {
			Job         uint64 `json:"job"`
			Task        int    `json:"task"`
			K           uint64 `json:"k"`
			FinishSlice *int64 `json:"finish_slice"`
			Missed      bool   `json:"missed"`
		} `json:"jobs"`
		Segments []struct{ Task int } `json:"segments"`
		Misses   uint64               `json:"misses"`
	}
	if err := json.Unmarshal(data, &tr); err != nil {
		t.Fatal(err)
	}
	if len(tr.Jobs) != 14 || tr.Misses != 1 || len(tr.Segments) != 46 {
		t.Fatalf("trace: %d jobs, %d misses, %d segments", len(tr.Jobs), tr.Misses, len(tr.Segments))
	}
	svg, err := os.ReadFile(svgPath)
	if err != nil || !bytes.Contains(svg, []byte("<svg")) || !bytes.Contains(svg, []byte("deadline miss")) {
		t.Fatalf("svg: %v %.80q", err, svg)
	}
	// Same run, same files.
	var out2 bytes.Buffer
	json2 := filepath.Join(dir, "trace2.json")
	if rc := run([]string{"sched", "simulate", "--taskset", "../../examples/taskset.yaml", "--json", json2}, &out2, &errb); rc != 0 {
		t.Fatal(errb.String())
	}
	data2, _ := os.ReadFile(json2)
	if !bytes.Equal(data, data2) {
		t.Fatal("the YAML task set gives another trace than the JSON one")
	}
}

func TestSchedSimulateErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sched"}, "Usage: sisemu sched simulate"},
		{[]string{"sched", "simulate"}, "--taskset is required"},
		{[]string{"sched", "simulate", "--taskset", "x", "--clock", "wall"}, "--clock must be virtual or hw"},
		{[]string{"sched", "simulate", "--taskset", "../../examples/taskset.json", "--until", "7 days"}, "bad duration"},
		{[]string{"sched", "simulate", "--taskset", "../../examples/taskset.json", "--until", "0"}, "--until must be > 0"},
		{[]string{"sched", "simulate", "--taskset", "../../examples/taskset.json", "--svg", "x.png"}, "must end in .svg"},
		{[]string{"sched", "simulate", "--taskset", "../../examples/taskset.json", "--until", "100s", "--svg", "x.svg"}, "--svg: a chart of 100000 slices is too large to read (at most 20000)"},
		{[]string{"sched", "simulate", "--taskset", "/nonexistent/ts.json"}, "no such file"},
		{[]string{"sched", "simulate", "--taskset", "simulate.go"}, "taskset: invalid"},
		{[]string{"sched", "simulate", "--taskset", "../../examples/taskset.json", "extra"}, "unexpected argument"},
	} {
		var out, errb bytes.Buffer
		if rc := run(c.args, &out, &errb); rc != 2 || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%v: rc %d stderr %q, want %q", c.args, rc, errb.String(), c.want)
		}
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]uint64{"5": 5, "5ns": 5, "7us": 7000, "250ms": 250_000_000, "2s": 2_000_000_000} {
		if got, err := parseDuration(in); err != nil || got != want {
			t.Errorf("%q: %d %v", in, got, err)
		}
	}
	for _, in := range []string{"", "ms", "-1ms", "1.5s", "99999999999999999999s"} {
		if _, err := parseDuration(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

// TestSchedSimulateHW runs a short real-time simulation on this host's
// clock: the schedule must be the virtual one; only the jitter line is
// measured (and so not compared).
func TestSchedSimulateHW(t *testing.T) {
	var virt, hw, errb bytes.Buffer
	args := []string{"sched", "simulate", "--taskset", "../../examples/taskset.json", "--until", "10ms"}
	if rc := run(args, &virt, &errb); rc != 0 {
		t.Fatal(errb.String())
	}
	if rc := run(append(args, "--clock", "hw"), &hw, &errb); rc != 0 {
		t.Fatal(errb.String())
	}
	v := strings.Split(virt.String(), "\n")
	h := strings.Split(hw.String(), "\n")
	if len(h) != len(v)+1 || !strings.HasPrefix(h[len(h)-2], "hw clock ") || !strings.Contains(h[len(h)-2], "releases=4 ") {
		t.Fatalf("hw output:\n%s", hw.String())
	}
	for i := 1; i < len(v)-1; i++ {
		if v[i] != h[i] {
			t.Fatalf("line %d differs:\n%s\n%s", i, v[i], h[i])
		}
	}
}

// TestShippedExampleIsCurrent: examples/taskset.trace.json and
// examples/taskset.svg (linked from the README) are what the current code
// writes. Regenerate with:
//
//	go run ./cmd/sisemu sched simulate --taskset examples/taskset.json \
//	    --json examples/taskset.trace.json --svg examples/taskset.svg
func TestShippedExampleIsCurrent(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	args := []string{"sched", "simulate", "--taskset", "../../examples/taskset.json",
		"--json", filepath.Join(dir, "t.json"), "--svg", filepath.Join(dir, "t.svg")}
	if rc := run(args, &out, &errb); rc != 0 {
		t.Fatal(errb.String())
	}
	for _, f := range [][2]string{{"t.json", "taskset.trace.json"}, {"t.svg", "taskset.svg"}} {
		got, _ := os.ReadFile(filepath.Join(dir, f[0]))
		want, err := os.ReadFile(filepath.Join("../../examples", f[1]))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("examples/%s is stale (%v); regenerate it (see the comment above)", f[1], err)
		}
	}
}

func TestSchedSimulateStdin(t *testing.T) {
	old := stdin
	defer func() { stdin = old }()
	stdin = strings.NewReader("tasks:\n  - q_ns: 1000000\n    p_ns: 4000000\n")
	var out, errb bytes.Buffer
	if rc := run([]string{"sched", "simulate", "--taskset", "-", "--until", "8ms"}, &out, &errb); rc != 0 {
		t.Fatal(errb.String())
	}
	if !strings.Contains(out.String(), "task 0 task0      q=1000000 d=4000000 p=4000000 admit=0: server 0 jobs=2 finished=2 missed=0\n") {
		t.Fatalf("output %q", out.String())
	}
}
