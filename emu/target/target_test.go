package target

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sisemu/sisemu/emu"
	"github.com/sisemu/sisemu/emu/console"
)

// TestMain doubles as a fake kernel: with SISEMU_FAKE_KERNEL=1 the test
// binary serves a sisemu console on stdin/stdout, so the exec: target can
// be tested against a real child process.
func TestMain(m *testing.M) {
	if os.Getenv("SISEMU_FAKE_KERNEL") == "1" {
		mach := emu.MustNew(emu.Options{})
		console.NewSession(mach).Serve(os.Stdin, os.Stdout)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

var steps = []Step{
	{Pos: "s:1", Line: "metricsctl status"},
	{Pos: "s:2", Line: "vclock"},
	{Pos: "s:3", Line: "vclock advance 1000000"},
	{Pos: "s:4", Line: "nosuch thing"},
	{Pos: "s:5", Line: "metricsctl off"},
	{Pos: "s:6", Line: "metricsctl status"},
}

func fastOpts() Options {
	return Options{BootTimeout: 10 * time.Second, CommandTimeout: 5 * time.Second, Quiet: 2 * time.Millisecond}
}

func TestInProcessTargetMatchesReference(t *testing.T) {
	for _, eol := range []string{"\r\n", "\r", "\n"} {
		opts := fastOpts()
		opts.EOL = eol
		tgt := InProcess(emu.Options{}, opts)
		if err := tgt.Boot(); err != nil {
			t.Fatal(err)
		}
		ref := emu.MustNew(emu.Options{})
		rep := Diff(ref, tgt, steps)
		tgt.Close()
		if rep.Commands != 5 || rep.Identical != 5 || len(rep.Differences) != 0 {
			t.Fatalf("eol %q: %+v", eol, rep)
		}
	}
}

// deviant is a kernel that differs from the reference in one line.
func deviant(t *testing.T) *Console {
	m := emu.MustNew(emu.Options{})
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	go func() {
		var buf bytes.Buffer
		console.NewSession(m).Serve(inR, &rewriter{w: outW, buf: &buf})
		outW.Close()
	}()
	c := NewConsole(outR, inW, inW, fastOpts())
	if err := c.Boot(); err != nil {
		t.Fatal(err)
	}
	return c
}

// rewriter lower-cases "capture: OFF" as a buggy kernel might.
type rewriter struct {
	w   io.Writer
	buf *bytes.Buffer
}

func (r *rewriter) Write(p []byte) (int, error) {
	_, err := r.w.Write(bytes.ReplaceAll(p, []byte("capture: OFF"), []byte("capture: off")))
	return len(p), err
}

func TestDiffFindsTheDeviantLine(t *testing.T) {
	tgt := deviant(t)
	defer tgt.Close()
	rep := Diff(emu.MustNew(emu.Options{}), tgt, steps)
	if rep.Commands != 5 || rep.Identical != 4 || len(rep.Differences) != 1 {
		t.Fatalf("%+v", rep)
	}
	d := rep.Differences[0]
	if d.Step.Pos != "s:6" || d.Line != 1 || d.Reference != "[METRICSCTL] capture: OFF" || d.Target != "[METRICSCTL] capture: off" {
		t.Fatalf("difference %+v", d)
	}
	var out strings.Builder
	rep.WriteText(&out)
	if !strings.HasPrefix(out.String(), "5 commands, 4 identical, 1 different\n") || !strings.Contains(out.String(), `target: "[METRICSCTL] capture: off"`) {
		t.Fatalf("text:\n%s", out.String())
	}
}

func TestExecTarget(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SISEMU_FAKE_KERNEL", "1")
	tgt, err := Open("exec:"+exe, fastOpts())
	if err != nil {
		t.Fatal(err)
	}
	rep := Diff(emu.MustNew(emu.Options{}), tgt, steps)
	if err := tgt.Close(); err != nil {
		t.Fatal(err)
	}
	if rep.Identical != 5 || len(rep.Differences) != 0 {
		t.Fatalf("%+v", rep)
	}
}

// TestSilentTargetTimesOut: a kernel that never prints a shell fails boot;
// one that stops answering yields a recorded error, not a hang.
func TestSilentTargetTimesOut(t *testing.T) {
	opts := fastOpts()
	opts.BootTimeout = 50 * time.Millisecond
	r, w := io.Pipe()
	c := NewConsole(r, io.Discard, w, opts)
	if err := c.Boot(); err == nil || !strings.Contains(err.Error(), "timeout") {
		t.Fatalf("boot: %v", err)
	}
	w.Write([]byte("LAUNCHING SHELL\nsis> "))
	if err := c.Boot(); err != nil {
		t.Fatal(err)
	}
	c.opts.CommandTimeout = 50 * time.Millisecond
	rep := Diff(emu.MustNew(emu.Options{}), c, steps[:1])
	if len(rep.Differences) != 1 || !strings.Contains(rep.Differences[0].Err, "timeout") {
		t.Fatalf("%+v", rep)
	}
	c.Close()
}

func TestOpenRejectsBadSpecs(t *testing.T) {
	for _, spec := range []string{"", "bogus:x", "exec:", "serial:/dev/null@fast", "sisemu:x", "serial:/nonexistent/tty"} {
		if _, err := Open(spec, fastOpts()); err == nil {
			t.Errorf("Open(%q) accepted", spec)
		}
	}
}

func TestStepsFromTranscript(t *testing.T) {
	steps, err := StepsFromTranscript("f", "machine seed=3\n----\n\nrun\na b\nc\n----\nsis> a b\nsis> c\n\nboot\n----\n")
	if err != nil || len(steps) != 2 || steps[0].Line != "a b" || steps[1].Line != "c" || steps[0].Pos != "f:4" {
		t.Fatalf("%+v %v", steps, err)
	}
}

func TestCutOutput(t *testing.T) {
	raw := "cmd\r\nline one\n\x1bline\ttwo\nsis> \r\nsis> "
	if got := cutOutput(raw); got != "line one\nline\ttwo\n" {
		t.Fatalf("%q", got)
	}
}
