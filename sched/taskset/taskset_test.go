package taskset

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"testing"
)

func TestParseExamplesAgree(t *testing.T) {
	js, err := os.ReadFile("../../examples/taskset.json")
	if err != nil {
		t.Fatal(err)
	}
	ym, err := os.ReadFile("../../examples/taskset.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, err := Parse(js)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse(ym)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("JSON and YAML differ:\n%+v\n%+v", a, b)
	}
	if len(a.Tasks) != 5 || a.Tasks[1].DemandNs[1] != 6_000_000 || a.Tasks[2].AdmitNs != 2_000_000 || a.BoundPPM != 1_000_000 {
		t.Fatalf("parsed %+v", a)
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{
		``,
		`{}`,
		`{"tasks": []}`,
		`{"tasks": [{"q_ns": 0, "p_ns": 10}]}`,
		`{"tasks": [{"q_ns": 1, "p_ns": 0}]}`,
		`{"tasks": [{"q_ns": 1, "p_ns": 10, "bogus": 1}]}`,
		`{"tasks": [{"q_ns": -1, "p_ns": 10}]}`,
		`{"tasks": [{"q_ns": 1, "p_ns": 10, "demand_ns": [0]}]}`,
		`{"tasks": [{"q_ns": 1, "p_ns": 10, "admit_ns": 3}]}`,
		`{"slice_ns": 1000, "tasks": [{"q_ns": 1, "p_ns": 10}]}`,
		`{"tasks": [{"q_ns": 1, "p_ns": 10}]} {}`,
		"tasks:\n  - q_ns: x\n    p_ns: 10\n",
		"tasks:\n  - q_ns: 1\n     p_ns: 10\n",
		"tasks:\n\t- q_ns: 1\n",
		"tasks: {q_ns: 1}\n",
		"tasks:\n  - q_ns: 1\n    q_ns: 2\n",
		"tasks: [1, [2]]\n",
		"name: \"unterminated\n",
		"just a scalar\n",
	} {
		if _, err := Parse([]byte(in)); !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%q) err=%v, want ErrInvalid", in, err)
		}
	}
}

func TestYAMLTree(t *testing.T) {
	v, err := ParseYAML([]byte("---\n# c\na: 1\nb: 'it''s' # trailing\nc:\n  - x\n  -\n    d: \"q#r\"\n  - [1, 2_000]\ne:\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"a": jsonNum("1"), "b": "it's",
		"c": []any{"x", map[string]any{"d": "q#r"}, []any{jsonNum("1"), jsonNum("2000")}},
		"e": nil,
	}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("tree %#v\nwant %#v", v, want)
	}
}

// TestRunExample pins the sample task set's schedule: admission (the
// greedy task is rejected by the 100% bound), EDF order, the vision
// overrun, and its misses.
func TestRunExample(t *testing.T) {
	data, _ := os.ReadFile("../../examples/taskset.json")
	ts, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(ts, 0)
	if err != nil {
		t.Fatal(err)
	}
	if r.UntilNs != 60_000_000 || len(r.Admissions) != 5 {
		t.Fatalf("until %d admissions %d", r.UntilNs, len(r.Admissions))
	}
	for i, a := range r.Admissions {
		if (a.Error == "") != (a.Task != 4) {
			t.Fatalf("admission %d: %+v", i, a)
		}
	}
	var busy uint64
	for _, s := range r.Segments {
		busy += s.EndNs - s.StartNs
		if s.EndNs <= s.StartNs || s.EndNs-s.StartNs > r.SliceNs {
			t.Fatalf("segment %+v", s)
		}
	}
	if r.Overruns != 1 {
		t.Fatalf("overruns %d, want 1 (vision job 1 demands 6 ms on a 4 ms budget)", r.Overruns)
	}
	if r.PerTask[4].Jobs != 0 || r.PerTask[0].Jobs != 6 || r.PerTask[1].Jobs != 3 || r.PerTask[2].Jobs != 4 {
		t.Fatalf("per task %+v", r.PerTask)
	}
	// Runs twice identically.
	r2, _ := Run(ts, 0)
	if !reflect.DeepEqual(r, r2) {
		t.Fatal("two runs differ")
	}
	// 48 ms of demand, 46 ms executed before the 60 ms horizon; one miss:
	// vision job 1 (6 ms on a 4 ms budget) is throttled past its deadline.
	if busy != 46_000_000 || r.Misses != 1 || len(r.Jobs) != 14 {
		t.Fatalf("busy %d ns, misses %d, jobs %d", busy, r.Misses, len(r.Jobs))
	}
	for _, j := range r.Jobs {
		if j.Missed != (j.Task == 1 && j.K == 1) {
			t.Fatalf("job %+v", j)
		}
	}
}

func TestRunLimits(t *testing.T) {
	ts := TaskSet{Tasks: []Task{{QNs: 1_000_000, PNs: 2_000_000}}}
	if _, err := Run(ts, MaxSlices*1_000_000+1_000_000); !errors.Is(err, ErrInvalid) {
		t.Fatalf("over MaxSlices: %v", err)
	}
	r, err := Run(ts, 1_500_000) // rounds up to 2 slices
	if err != nil || r.UntilNs != 2_000_000 || len(r.Jobs) != 1 || r.Jobs[0].FinishSlice == nil || *r.Jobs[0].FinishSlice != 0 {
		t.Fatalf("run %+v %v", r, err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"tasks":[{"q_ns":1000000,"p_ns":2000000}]}`,
		"tasks:\n  - q_ns: 1\n    p_ns: 2\n    demand_ns: [1, 2]\n",
		"a:\n  - b: 1\n    c:\n      - 2\n",
		"- - - x\n",
		`{"slice_ns":16,"tasks":[{"q_ns":16,"p_ns":32,"d_ns":16,"admit_ns":16}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error not ErrInvalid: %v", err)
			}
			return
		}
		if len(ts.Tasks) == 0 || ts.SliceNs == 0 || ts.SliceNs%16 != 0 {
			t.Fatalf("accepted invalid task set %+v", ts)
		}
		// A short run of anything accepted must not panic.
		var jobs uint64
		for _, tk := range ts.Tasks {
			jobs += ts.SliceNs * 64 / tk.PNs
		}
		if jobs <= 10_000 {
			if _, err := Run(ts, ts.SliceNs*64); err != nil && !errors.Is(err, ErrInvalid) {
				t.Fatal(err)
			}
		}
	})
}

func jsonNum(s string) any { return json.Number(s) }
