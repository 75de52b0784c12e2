package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A shell session with --audit writes a journal that `sisemu audit verify`
// accepts; a second session on the same file continues the chain; a
// changed byte is reported at its record with exit status 1.
func TestAuditVerifyEndToEnd(t *testing.T) {
	old := stdin
	defer func() { stdin = old }()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	session := func(lines string) {
		t.Helper()
		stdin = strings.NewReader(lines)
		var out, errb bytes.Buffer
		if rc := run([]string{"shell", "--audit", path}, &out, &errb); rc != 0 {
			t.Fatalf("shell rc %d: %s", rc, errb.String())
		}
	}
	verify := func() (int, string) {
		var out, errb bytes.Buffer
		rc := run([]string{"audit", "verify", path}, &out, &errb)
		return rc, out.String() + errb.String()
	}
	session("llmctl load --wcet-cycles 50000\nllmctl budget --period-ns 1000000000 --max-tokens-per-period 4\nllminfer a b c --max-tokens 3\nllminfer d --max-tokens 3\n")
	if rc, out := verify(); rc != 0 || !strings.Contains(out, "ok records=4 ") {
		t.Fatalf("first session: rc %d %q", rc, out)
	}
	session("llmctl register --id m1 --size 512 --ctx 2048\n")
	rc, out := verify()
	if rc != 0 || !strings.Contains(out, "ok records=5 ") {
		t.Fatalf("second session: rc %d %q", rc, out)
	}
	data, _ := os.ReadFile(path)
	lines := strings.SplitAfter(string(data), "\n")
	if !strings.Contains(lines[3], `"event":"reject"`) || !strings.Contains(lines[4], `"seq":5`) {
		t.Fatalf("journal:\n%s", data)
	}
	i := len(lines[0]) + len(lines[1]) + 20 // a byte inside record 3
	data[i] ^= 1
	os.WriteFile(path, data, 0o644)
	rc, out = verify()
	if rc != 1 || !strings.Contains(out, "BROKEN at record 3 ") {
		t.Fatalf("tampered: rc %d %q", rc, out)
	}
	// A machine refuses to extend the tampered journal.
	stdin = strings.NewReader("")
	var sout, serr bytes.Buffer
	if rc := run([]string{"shell", "--audit", path}, &sout, &serr); rc == 0 || !strings.Contains(serr.String(), "record 3") {
		t.Fatalf("shell on a tampered journal: rc %d %q", rc, serr.String())
	}
	if rc, _ := run2([]string{"audit"}); rc != 2 {
		t.Fatalf("usage rc %d", rc)
	}
}

func run2(args []string) (int, string) {
	var out, errb bytes.Buffer
	rc := run(args, &out, &errb)
	return rc, out.String() + errb.String()
}
