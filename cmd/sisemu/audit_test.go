package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/sisemu/sisemu/governance/audit"
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

// TestConsoleKillKeepsAcknowledged runs `sisemu console --audit FILE` as a
// child process, waits for each command's answer on the console, then kills
// the child with SIGKILL: every command answered has its record in the
// journal, and the journal verifies.
func TestConsoleKillKeepsAcknowledged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSisemuMain$")
	cmd.Env = append(os.Environ(), "SISEMU_HELPER_ARGS=console --audit "+path)
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	r := bufio.NewReader(out)
	// waitFor reads console output until it contains s.
	waitFor := func(s string) {
		t.Helper()
		var seen []byte
		for !bytes.Contains(seen, []byte(s)) {
			b, err := r.ReadByte()
			if err != nil {
				t.Fatalf("console ended before %q: %v\n%s", s, err, seen)
			}
			seen = append(seen, b)
		}
	}
	waitFor("sis> ")
	cmds := []string{
		"llmctl load --wcet-cycles 50000",
		"llmctl budget --period-ns 1000000000 --max-tokens-per-period 3",
		"llminfer a b c --max-tokens 3",
		"llminfer d --max-tokens 1",
		"llmctl register --id m --size 1 --ctx 1",
	}
	for _, c := range cmds {
		io.WriteString(in, c+"\n")
		waitFor("\nsis> ")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := audit.Verify(f)
	if err != nil || rep.Broken != nil || rep.Records != uint64(len(cmds)) {
		t.Fatalf("journal after kill -9: %+v %v (want %d records)", rep, err, len(cmds))
	}
}

// TestHelperSisemuMain is the child of TestConsoleKillKeepsAcknowledged: it
// runs sisemu with the arguments in SISEMU_HELPER_ARGS on the real stdio.
func TestHelperSisemuMain(t *testing.T) {
	args := os.Getenv("SISEMU_HELPER_ARGS")
	if args == "" {
		return // only does something as a child process
	}
	os.Exit(run(strings.Fields(args), os.Stdout, os.Stderr))
}
