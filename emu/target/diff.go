package target

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/sisemu/sisemu/emu"
	"github.com/sisemu/sisemu/emu/script"
)

// Step is one command line of a phase script, with where it came from.
type Step struct {
	File string
	Pos  string
	Line string
}

// StepsFromTranscript extracts the command lines of a transcript's `run`
// cases, in order. `machine` directives are dropped: a real kernel cannot
// be reset, so a diff runs every file on one long-lived pair of consoles,
// as the kernel's own runner does (console.md §10.1).
func StepsFromTranscript(file, text string) ([]Step, error) {
	cases, err := script.Parse(file, text)
	if err != nil {
		return nil, err
	}
	var steps []Step
	for _, c := range cases {
		if c.Cmd != "run" {
			continue
		}
		for _, l := range strings.Split(c.Input, "\n") {
			steps = append(steps, Step{File: file, Pos: c.Pos, Line: l})
		}
	}
	return steps, nil
}

// Difference is one command whose output differs between the reference
// and the target.
type Difference struct {
	Step      Step
	Line      int // 1-based output line of the first difference
	Reference string
	Target    string
	Err       string // the target failed to answer (timeout, closed)
}

// DiffReport is the outcome of a diff run.
type DiffReport struct {
	Commands    int
	Identical   int
	Differences []Difference
}

// Diff runs steps on the reference machine and on the target, in lock step,
// and records every command whose output differs. `vclock advance <ns>`
// lines (the transcripts' stand-in for the catalogue's host sleeps) advance
// the reference's virtual clock and sleep on the target; they are not
// compared. A target error is recorded and the run goes on.
func Diff(ref *emu.Machine, tgt Target, steps []Step) DiffReport {
	var rep DiffReport
	for _, s := range steps {
		toks := emu.Tokenize(s.Line)
		if len(toks) == 3 && toks[0] == "vclock" && toks[1] == "advance" {
			if ns, err := strconv.ParseUint(toks[2], 10, 64); err == nil {
				ref.Exec(s.Line)
				tgt.Sleep(time.Duration(ns))
				continue
			}
		}
		want := ref.Exec(s.Line).Output
		rep.Commands++
		w, err := tgt.Run(s.Line)
		if err != nil {
			rep.Differences = append(rep.Differences, Difference{Step: s, Err: err.Error(), Reference: firstLine(want)})
			continue
		}
		if w.Output == want {
			rep.Identical++
			continue
		}
		d := Difference{Step: s}
		wl := strings.Split(strings.TrimSuffix(want, "\n"), "\n")
		gl := strings.Split(strings.TrimSuffix(w.Output, "\n"), "\n")
		for i := 0; i < max(len(wl), len(gl)); i++ {
			a, b := "<end of output>", "<end of output>"
			if i < len(wl) {
				a = wl[i]
			}
			if i < len(gl) {
				b = gl[i]
			}
			if a != b {
				d.Line, d.Reference, d.Target = i+1, a, b
				break
			}
		}
		if d.Line == 0 { // differ only in the final LF
			d.Line, d.Reference, d.Target = len(wl), want, w.Output
		}
		rep.Differences = append(rep.Differences, d)
	}
	return rep
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// WriteText prints the report for a kernel developer.
func (r DiffReport) WriteText(w io.Writer) {
	fmt.Fprintf(w, "%d commands, %d identical, %d different\n", r.Commands, r.Identical, len(r.Differences))
	for _, d := range r.Differences {
		fmt.Fprintf(w, "\n%s  %s\n", d.Step.Pos, d.Step.Line)
		if d.Err != "" {
			fmt.Fprintf(w, "  target error: %s\n", d.Err)
			continue
		}
		fmt.Fprintf(w, "  output line %d\n  sisemu: %q\n  target: %q\n", d.Line, d.Reference, d.Target)
	}
}
