package emu

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sisemu/sisemu/governance"
	"github.com/sisemu/sisemu/governance/audit"
)

// TestDecisionsMadeThroughTheAPIAreJournaledByTheNextCommand: a governance
// decision taken from Go between lines reaches the durable journal when the
// next command of any kind completes.
func TestDecisionsMadeThroughTheAPIAreJournaledByTheNextCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	m := MustNew(Options{AuditPath: path})
	defer m.Close()
	count := func() int {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := audit.ReadAll(f)
		if err != nil {
			t.Fatal(err)
		}
		return len(recs)
	}
	before := count()
	if _, err := m.Governor().Register(m.Now(), "api-model", governance.Some[uint64](512), governance.Some[uint64](2048)); err != nil {
		t.Fatal(err)
	}
	if count() != before {
		t.Fatal("journaled before any command completed")
	}
	m.Exec("vclock")
	if got := count(); got != before+1 {
		t.Fatalf("journal has %d records after the next command, want %d", got, before+1)
	}
}
