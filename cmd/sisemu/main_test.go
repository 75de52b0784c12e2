package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sisemu/sisemu/emu"
	"github.com/sisemu/sisemu/emu/console"
)

func TestConsoleOnStdio(t *testing.T) {
	old := stdin
	defer func() { stdin = old }()
	stdin = strings.NewReader("\r\nvclock\r\nnosuch\n")
	var out, errb bytes.Buffer
	if rc := run([]string{"console", "--seed", "3"}, &out, &errb); rc != 0 {
		t.Fatalf("rc %d, stderr %s", rc, errb.String())
	}
	m := emu.MustNew(emu.Options{})
	want := m.Boot() + "sis> " + "\r\nsis> \r\nsis> " +
		"vclock\r\n[VCLOCK] ticks=0 ns=0\nsis> \r\nsis> " +
		"nosuch\r\nUnknown command: nosuch\nType 'help' for available commands\nsis> "
	if out.String() != want {
		t.Fatalf("console output:\n%q\nwant\n%q", out.String(), want)
	}
	if errb.Len() != 0 {
		t.Fatalf("stderr: %q (logs must stay off the console)", errb.String())
	}
}

func TestConsoleLogsGoToTheLogFile(t *testing.T) {
	old := stdin
	defer func() { stdin = old }()
	stdin = strings.NewReader("vclock\n")
	logPath := filepath.Join(t.TempDir(), "log.json")
	var out, errb bytes.Buffer
	if rc := run([]string{"console", "--log", logPath}, &out, &errb); rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	data, err := os.ReadFile(logPath)
	if err != nil || !strings.Contains(string(data), `"line":"vclock"`) {
		t.Fatalf("log %q, %v", data, err)
	}
	if strings.Contains(out.String(), `"line"`) {
		t.Fatal("log record on the console")
	}
}

func TestConsoleOnPTY(t *testing.T) {
	m := emu.MustNew(emu.Options{})
	defer m.Close()
	sess := console.NewSession(m)
	paths := make(chan string, 1)
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- servePTY(sess, func(p string) { paths <- p }, stop) }()
	path := <-paths
	dev, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	rd := bufio.NewReader(dev)
	readUntil := func(pattern string) string {
		var got []byte
		deadline := time.Now().Add(10 * time.Second)
		for !bytes.Contains(got, []byte(pattern)) {
			if time.Now().After(deadline) {
				t.Fatalf("no %q in %q", pattern, got)
			}
			b, err := rd.ReadByte()
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			got = append(got, b)
		}
		return string(got)
	}
	if boot := readUntil("sis> "); !strings.HasSuffix(boot, "Type 'help' for available commands\n\nsis> ") {
		t.Fatalf("boot %q", boot)
	}
	dev.WriteString("vclock\n")
	if got := readUntil("sis> "); got != "vclock\r\n[VCLOCK] ticks=0 ns=0\nsis> " {
		t.Fatalf("answer %q (the pty must be raw: no LF->CRLF, no local echo)", got)
	}
	close(stop)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("servePTY did not stop")
	}
}

func TestPhasesCommand(t *testing.T) {
	var out, errb bytes.Buffer
	rc := run([]string{"phases", "--phase", "4"}, &out, &errb)
	if rc != 1 || errb.String() != "Unsupported phase '4'. Supported phases: 1, 2, 3, 5, 6, 7, 8, 9\n" {
		t.Fatalf("rc %d stderr %q", rc, errb.String())
	}
	// console.md §10.3: any other N, numeric or not, gets the same line.
	for _, bad := range [][]string{{"--phase", "abc"}, {"--phase=x1"}, {"--phase", ""}} {
		errb.Reset()
		rc := run(append([]string{"phases"}, bad...), &out, &errb)
		n := strings.TrimPrefix(bad[len(bad)-1], "--phase=")
		if want := "Unsupported phase '" + n + "'. Supported phases: 1, 2, 3, 5, 6, 7, 8, 9\n"; rc != 1 || errb.String() != want {
			t.Errorf("%v: rc %d stderr %q, want rc 1 and %q", bad, rc, errb.String(), want)
		}
	}
	// A --dir that does not exist is an error, not eight phases "not implemented".
	errb.Reset()
	if rc := run([]string{"phases", "--dir", "/nonexistent/transcripts"}, &out, &errb); rc != 2 || !strings.Contains(errb.String(), "/nonexistent/transcripts") {
		t.Errorf("--dir missing: rc %d stderr %q", rc, errb.String())
	}
	dir := t.TempDir()
	jsonPath, junitPath := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml")
	out.Reset()
	run([]string{"phases", "--phase", "1", "--json", jsonPath, "--junit", junitPath}, &out, &errb)
	if !strings.Contains(out.String(), "Phase 1: AI-Native Dataflow") || !strings.Contains(out.String(), "Overall score:") {
		t.Fatalf("report:\n%s", out.String())
	}
	for _, p := range []string{jsonPath, junitPath} {
		if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
			t.Fatalf("%s: %v", p, err)
		}
	}
}

func TestUsageAndUnknownMode(t *testing.T) {
	var out, errb bytes.Buffer
	if rc := run(nil, &out, &errb); rc != 0 || !strings.Contains(out.String(), "console") || !strings.Contains(out.String(), "phases") {
		t.Fatalf("usage rc %d: %s", rc, out.String())
	}
	if rc := run([]string{"bogus"}, &out, &errb); rc != 2 || !strings.Contains(errb.String(), `unknown command "bogus"`) {
		t.Fatalf("rc %d stderr %q", rc, errb.String())
	}
}

func TestDiffCommandAgainstInProcessSisemu(t *testing.T) {
	var out, errb bytes.Buffer
	rc := run([]string{"diff", "--target", "sisemu", "--phase", "1"}, &out, &errb)
	if rc != 0 || !strings.HasSuffix(out.String(), " different\n") || !strings.Contains(out.String(), "identical, 0 different") {
		t.Fatalf("rc %d out %q err %q", rc, out.String(), errb.String())
	}
	for _, bad := range [][]string{{"diff"}, {"diff", "--target", "sisemu", "--eol", "x"}, {"diff", "--target", "sisemu", "--phase", "4"}} {
		errb.Reset()
		if rc := run(bad, &out, &errb); rc != 2 || errb.Len() == 0 {
			t.Errorf("%v: rc %d stderr %q", bad, rc, errb.String())
		}
	}
}
