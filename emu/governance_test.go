package emu_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sisemu/sisemu/emu"
	"github.com/sisemu/sisemu/governance/audit"
)

// Every governance decision reaches the journal before Exec returns, and a
// machine restarted on the same file continues the chain.
func TestAuditJournalThroughMachine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	m := emu.MustNew(emu.Options{AuditPath: path})
	lines := []string{
		"llmctl load --wcet-cycles 50000",
		"llmctl load --size-bytes 134217729",
		"llmctl budget --period-ns 1000000000 --max-tokens-per-period 2",
		"llminfer a b --max-tokens 2",
		"llminfer c --max-tokens 1",
		"llmstream d e",
		"llmctl register --id m1 --size 1 --ctx 1",
		"llmctl load --id m1",
		"llmctl swap --from m1 --to m2",
		"llmctl rollback",
		"llmctl status", // no decision: no record
	}
	var kinds []string
	for i, l := range lines {
		m.Exec(l)
		// Durable after each command: the file verifies and grows.
		f, _ := os.Open(path)
		rep, err := audit.Verify(f)
		f.Close()
		if err != nil || rep.Broken != nil {
			t.Fatalf("after %q: %+v %v", l, rep, err)
		}
		_ = i
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(path)
	recs, err := audit.ReadAll(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		kinds = append(kinds, r.Kind)
	}
	want := "load,reject,budget,infer,reject,reject,register,load,activate,register,swap,rollback"
	if got := strings.Join(kinds, ","); got != want {
		t.Fatalf("journal kinds\n%s\nwant\n%s", got, want)
	}
	// The infer record carries the decision's numbers.
	inf := recs[3]
	if fmt.Sprint(inf.Fields) != "[{op infer} {id 1} {prompt_len 3} {cap 2} {tokens 2} {actual_ns 800000} {wcet_ns 800000} {status 1} {issued 2} {limit 2} {period_ns 1000000000}]" {
		t.Fatalf("infer record %v", inf.Fields)
	}

	m2 := emu.MustNew(emu.Options{AuditPath: path})
	m2.Exec("llmctl load")
	m2.Close()
	f, _ = os.Open(path)
	rep, _ := audit.Verify(f)
	f.Close()
	if rep.Broken != nil || rep.Records != uint64(len(recs))+1 {
		t.Fatalf("after restart: %+v", rep)
	}
}

// A journal that does not verify stops the machine from starting.
func TestMachineRefusesTamperedJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	m := emu.MustNew(emu.Options{AuditPath: path})
	m.Exec("llmctl load")
	m.Exec("llmctl load")
	m.Close()
	data, _ := os.ReadFile(path)
	os.WriteFile(path, data[:len(data)-3], 0o644)
	if _, err := emu.New(emu.Options{AuditPath: path}); err == nil || !strings.Contains(err.Error(), "record 2") {
		t.Fatalf("New on a truncated journal: %v", err)
	}
}

// FuzzLLMCommands drives llmctl, llminfer and llmstream with arbitrary
// arguments: nothing panics, every llmctl line prints something but the
// audit listing, and two machines agree.
func FuzzLLMCommands(f *testing.F) {
	for _, s := range []string{
		"load --wcet-cycles 50000",
		"load --model 7 --hash 0xA99C07CE93703C7390589C5B007BD9A97A8B6DE29E9A920D474D4F028CE2D42C --size-bytes 1024",
		"load --model 7 --ctx 512 --vocab 50000 --quant INT8 --size-bytes 134217728 --name n --rev 2 --sig 0x" + strings.Repeat("ab", 64),
		"budget --wcet-cycles 1 --period-ns 1 --max-tokens-per-period 1",
		"register --id a --size 1 --ctx 1", "swap --from a --to b", "rollback --to", "query --id", "list", "status", "audit", "pace --scale 200",
		"load --size-bytes", "budget --period-ns 18446744073709551615", "load --id x --ctx 0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, b := emu.MustNew(emu.Options{}), emu.MustNew(emu.Options{})
		for _, line := range []string{"llmctl " + s, "llminfer " + s, "llmstream " + s, "llmctl budget --period-ns 1000 " + s, "llmctl " + s, "llmjson"} {
			ra, rb := a.Exec(line), b.Exec(line)
			if ra.Output != rb.Output {
				t.Fatalf("%q: machines disagree", line)
			}
			toks := emu.Tokenize(line)
			if len(toks) > 1 && toks[0] == "llmctl" && toks[1] != "audit" && ra.Output == "" {
				t.Fatalf("%q printed nothing", line)
			}
		}
	})
}
