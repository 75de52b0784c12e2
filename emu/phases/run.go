// Package phases runs the SIS kernel's phase suites against sisemu in
// process and scores them the kernel suite's way (console.md §10.2): a test
// passes when its transcript matches exactly; a sub-suite passes at
// floor(0.75·n) tests; a phase's claim at a score of 75; the run passes at
// an overall score of 70.
package phases

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/sisemu/sisemu/emu"
	"github.com/sisemu/sisemu/emu/script"
	"github.com/sisemu/sisemu/sched/clock"
)

// Confidence is the weight of every phase claim in the overall score.
const Confidence = 0.95

// Options select what to run.
type Options struct {
	// Phases to run, in any order; empty means all. They run in catalogue
	// order (1, 2, 3, 5, 6, 7, 8, 9) whatever the order given.
	Phases []int
	// FS holds the transcripts (phase<N>/<subsuite>/<function>.txt); nil
	// means the ones built into sisemu.
	FS fs.FS
	// Machine is the base machine configuration; a transcript's
	// `machine seed=N` directive overrides the seed.
	Machine emu.Options
}

// Status of one test.
type Status string

// Test statuses.
const (
	Pass    Status = "pass"
	Fail    Status = "fail"
	Missing Status = "not implemented"
)

// TestResult is the outcome of one kernel test case.
type TestResult struct {
	ID       string `json:"id"`
	Func     string `json:"function"`
	File     string `json:"file"`
	Status   Status `json:"status"`
	Unscored bool   `json:"unscored,omitempty"`
	// Mismatch is the first difference of a failed test (of a test scored
	// by steps, the first step that did not complete, even if it passed).
	Mismatch *Mismatch `json:"mismatch,omitempty"`
	// Error is a failure to run the transcript at all.
	Error string `json:"error,omitempty"`
	// VirtualNs is the virtual time the test took.
	VirtualNs uint64 `json:"virtual_ns"`
}

// Mismatch locates the first line where actual output differs from the
// transcript.
type Mismatch struct {
	Pos      string `json:"pos"`  // file:line of the directive
	Line     int    `json:"line"` // 1-based line within the case's output
	Expected string `json:"expected"`
	Actual   string `json:"actual"`
}

// SubResult is the outcome of one sub-suite.
type SubResult struct {
	Dir    string `json:"dir"`
	Name   string `json:"name"`
	Logged bool   `json:"logged,omitempty"`
	// All: the sub-suite needs every test, unscored ones included.
	All    bool         `json:"needs_all,omitempty"`
	Tests  []TestResult `json:"tests"`
	Passed int          `json:"passed"`
	Total  int          `json:"total"`
	Needs  int          `json:"needs"`
	OK     bool         `json:"ok"`
}

// PhaseResult is the outcome of one phase.
type PhaseResult struct {
	N           int         `json:"phase"`
	Claim       string      `json:"claim"`
	Implemented bool        `json:"implemented"`
	Subs        []SubResult `json:"sub_suites"`
	// Passed and Total count the phase's scoring units: tests, modules or
	// sub-suites (console.md §10.2).
	Passed      int     `json:"passed"`
	Total       int     `json:"total"`
	Unit        string  `json:"unit"`
	Score       float64 `json:"overall_score"`
	PassedFlag  bool    `json:"passed_flag"`
	ClaimPassed bool    `json:"claim_passed"`
}

// Report is a whole run.
type Report struct {
	Seed     uint64        `json:"seed"`
	Phases   []PhaseResult `json:"phases"`
	Overall  float64       `json:"overall_score"`
	Verdict  string        `json:"verdict"`
	ExitCode int           `json:"exit_code"`
}

// ErrUnsupportedPhase is returned for a phase number the suite lacks.
var ErrUnsupportedPhase = errors.New("unsupported phase")

// Run runs the selected phases and scores them.
func Run(opts Options) (*Report, error) {
	fsys := opts.FS
	if fsys == nil {
		fsys = emu.Transcripts()
	}
	selected, err := Select(opts.Phases)
	if err != nil {
		return nil, err
	}
	rep := &Report{Seed: opts.Machine.Seed}
	for _, p := range selected {
		rep.Phases = append(rep.Phases, runPhase(p, fsys, opts.Machine))
	}
	var num, den float64
	for _, pr := range rep.Phases {
		den += Confidence
		if pr.ClaimPassed {
			num += Confidence * 100
		}
	}
	if den > 0 {
		rep.Overall = num / den
	}
	switch {
	case rep.Overall >= 80:
		rep.Verdict = "PRODUCTION READY"
	case rep.Overall >= 70:
		rep.Verdict = "ACCEPTABLE"
	default:
		rep.Verdict = "NEEDS IMPROVEMENT"
	}
	if rep.Overall < 70 {
		rep.ExitCode = 1
	}
	return rep, nil
}

// Select returns the catalogue's phases numbered in only (all when empty),
// in run order, or ErrUnsupportedPhase for a number the suite lacks.
func Select(only []int) ([]Phase, error) {
	want := map[int]bool{}
	for _, n := range only {
		if _, ok := Lookup(n); !ok {
			return nil, fmt.Errorf("%w '%d'. Supported phases: 1, 2, 3, 5, 6, 7, 8, 9", ErrUnsupportedPhase, n)
		}
		want[n] = true
	}
	var out []Phase
	for _, p := range Catalogue {
		if len(want) == 0 || want[p.N] {
			out = append(out, p)
		}
	}
	return out, nil
}

// File is the transcript path of test t of sub-suite s of phase p.
func File(p Phase, s SubSuite, t Test) string {
	return path.Join(fmt.Sprintf("phase%d", p.N), s.Dir, t.Func+".txt")
}

// Needs is floor(0.75·n), the pass mark of a sub-suite or phase of n units
// (console.md §10.2), but at least 1 for n >= 1: a one-test unit such as
// Phase 7's integration test must pass its test.
func Needs(n int) int {
	if n >= 1 && n*3/4 == 0 {
		return 1
	}
	return n * 3 / 4
}

func runPhase(p Phase, fsys fs.FS, mopts emu.Options) PhaseResult {
	pr := PhaseResult{N: p.N, Claim: p.Claim}
	for _, s := range p.Subs {
		sr := SubResult{Dir: s.Dir, Name: s.Name, Logged: s.Logged}
		for _, t := range s.Tests {
			tr := runTest(fsys, File(p, s, t), mopts, t)
			tr.ID, tr.Func, tr.Unscored = t.ID, t.Func, t.Unscored
			if tr.Status != Missing {
				pr.Implemented = true
			}
			sr.Tests = append(sr.Tests, tr)
			if !t.Unscored {
				sr.Total++
				if tr.Status == Pass {
					sr.Passed++
				}
			}
		}
		sr.Needs = Needs(sr.Total)
		sr.OK = sr.Passed >= sr.Needs && sr.Total > 0 && anyRan(sr.Tests)
		if s.All {
			sr.Needs, sr.All = sr.Total, true
			sr.OK = sr.Total > 0 && allPassed(sr.Tests)
		}
		pr.Subs = append(pr.Subs, sr)
	}
	switch p.Unit {
	case UnitTests:
		pr.Unit = "tests"
		for _, sr := range pr.Subs {
			if sr.Logged {
				continue
			}
			pr.Passed += sr.Passed
			pr.Total += sr.Total
		}
		pr.PassedFlag = pr.Passed >= Needs(pr.Total)
		pr.Score = pct(pr.Passed, pr.Total)
	case UnitModules:
		pr.Unit = "modules"
		pr.Total = len(pr.Subs)
		for _, sr := range pr.Subs {
			if sr.OK {
				pr.Passed++
			}
		}
		pr.Score = float64(pr.Passed * 20)
		pr.PassedFlag = pr.Score >= 75
	case UnitSubSuites:
		pr.Unit = "sub-suites"
		pr.Total = len(pr.Subs)
		for _, sr := range pr.Subs {
			if sr.OK {
				pr.Passed++
			}
		}
		pr.Score = pct(pr.Passed, pr.Total)
		pr.PassedFlag = pr.Score >= 75
	}
	if !pr.Implemented {
		pr.PassedFlag = false
	}
	pr.ClaimPassed = pr.Implemented && pr.Score >= 75
	return pr
}

func allPassed(ts []TestResult) bool {
	for _, t := range ts {
		if t.Status != Pass {
			return false
		}
	}
	return true
}

func anyRan(ts []TestResult) bool {
	for _, t := range ts {
		if t.Status != Missing {
			return true
		}
	}
	return false
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b) * 100
}

// runTest runs one transcript on a fresh runner and compares every case.
// Without a step share the first differing case fails the test; otherwise
// every case runs and the test passes when its setup cases all match and at
// least StepShare percent of its Steps match.
func runTest(fsys fs.FS, file string, mopts emu.Options, t Test) TestResult {
	tr := TestResult{File: file}
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		tr.Status = Missing
		return tr
	}
	cases, err := script.Parse(file, string(data))
	if err != nil {
		tr.Status, tr.Error = Fail, err.Error()
		return tr
	}
	if !slices.ContainsFunc(cases, func(c script.Case) bool { return c.Cmd != "machine" }) {
		// A placeholder checks nothing: it is no more a test than a
		// missing file.
		tr.Status, tr.Error = Missing, "no commands in the transcript"
		return tr
	}
	r := script.NewRunner(mopts)
	defer r.Close()
	var start, end clock.Ticks
	started := false
	var matched []bool // per case other than `machine`
	for _, c := range cases {
		if c.Cmd == "machine" {
			started = false
		}
		out, err := r.Do(c)
		if err != nil {
			tr.Status, tr.Error = Fail, err.Error()
			return tr
		}
		if m, err := r.Machine(); err == nil {
			if !started {
				start, started = 0, true
			}
			end = m.Now()
		}
		if out != "" && !strings.HasSuffix(out, "\n") {
			out += "\n"
		}
		ok := out == c.Expected
		if c.Cmd != "machine" {
			matched = append(matched, ok)
		}
		if ok {
			continue
		}
		if tr.Mismatch == nil {
			tr.Mismatch = firstDiff(c.Pos, c.Expected, out)
		}
		if t.StepShare == 0 {
			tr.Status = Fail
			return tr
		}
	}
	tr.VirtualNs = (end - start).Ns()
	tr.Status = Pass
	if tr.Mismatch != nil && (t.StepShare == 0 || !stepsPass(matched, t.StepShare, t.Steps)) {
		tr.Status = Fail
	}
	return tr
}

// stepsPass applies a step share: the cases before the last steps are
// setup and must all match; of the steps (missing ones count as not
// completed) at least share percent must match.
func stepsPass(matched []bool, share, steps int) bool {
	if steps <= 0 {
		steps = len(matched)
	}
	setup := max(0, len(matched)-steps)
	if slices.Contains(matched[:setup], false) {
		return false
	}
	n := 0
	for _, ok := range matched[setup:] {
		if ok {
			n++
		}
	}
	return n*100 >= share*max(steps, len(matched)-setup)
}

func firstDiff(pos, want, got string) *Mismatch {
	w := strings.Split(strings.TrimSuffix(want, "\n"), "\n")
	g := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		} else {
			wl = "<end of output>"
		}
		if i < len(g) {
			gl = g[i]
		} else {
			gl = "<end of output>"
		}
		if wl != gl {
			return &Mismatch{Pos: pos, Line: i + 1, Expected: wl, Actual: gl}
		}
	}
	return &Mismatch{Pos: pos, Line: 1, Expected: want, Actual: got}
}
