package emu

import (
	"errors"
	"strings"
	"testing"

	"github.com/sisemu/sisemu/governance"
	"github.com/sisemu/sisemu/governance/audit"
)

// failSink accepts writes until it is told to fail.
type failSink struct {
	fail  bool
	lines int
}

func (f *failSink) Write(p []byte) (int, error) {
	if f.fail {
		return 0, errors.New("no space left on device")
	}
	f.lines++
	return len(p), nil
}
func (*failSink) Sync() error  { return nil }
func (*failSink) Close() error { return nil }

// A journal that cannot be written is reported on the console, after the
// command's own lines, and refuses further records.
func TestJournalFailureReported(t *testing.T) {
	m := MustNew(Options{})
	sink := &failSink{}
	j, _ := audit.New(sink, 0, audit.Genesis)
	g, _ := governance.New(governance.Options{RecordEvents: true})
	m.gov.g, m.gov.journal = g, j
	if out := m.Exec("llmctl load").Output; out != "[LLM] model loaded\n" || sink.lines != 1 {
		t.Fatalf("%q, %d lines", out, sink.lines)
	}
	sink.fail = true
	out := m.Exec("llmctl load").Output
	if !strings.HasPrefix(out, "[LLM] model loaded\n[LLM][AUDIT] journal write failed: ") {
		t.Fatalf("%q", out)
	}
	sink.fail = false
	if out := m.Exec("llmctl load").Output; !strings.Contains(out, "journal failed earlier") || sink.lines != 1 {
		t.Fatalf("after a failure: %q, %d lines", out, sink.lines)
	}
}
