package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sisemu/sisemu/emu"
	"github.com/sisemu/sisemu/emu/console"
)

// TestShellSeesLinesAsTheConsoleDoes: piped into `sisemu shell`, every line
// reaches the machine as the kernel's line editor would hand it over
// (console.md §3): TAB, other controls and bytes >= 0x80 dropped, at most
// 255 characters, Ctrl-C discarding the line; and a very long line does not
// end the session.
func TestShellSeesLinesAsTheConsoleDoes(t *testing.T) {
	old := stdin
	defer func() { stdin = old }()
	in := "metricsctl\tstatus\r\n" +
		"metricsctl status \xc3\xa9\n" +
		"vclock" + strings.Repeat(" ", 250) + "advance 5000000\n" +
		"junk\x03" +
		strings.Repeat("a", 2<<20) + "\n" +
		"vclock"
	stdin = strings.NewReader(in)
	var out, errb bytes.Buffer
	if rc := run([]string{"shell"}, &out, &errb); rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	m := emu.MustNew(emu.Options{})
	defer m.Close()
	want := "=== SIS Kernel Shell (sisemu, seed 0) ===\nType 'help' for available commands, Ctrl-D to leave\n\n" + console.Prompt
	for _, line := range []string{
		"metricsctlstatus",
		"metricsctl status ",
		"vclock" + strings.Repeat(" ", 249),
		"",
		strings.Repeat("a", 255),
		"vclock",
	} {
		want += m.Exec(line).Output + console.Prompt
	}
	want += "\n"
	if got := out.String(); got != want {
		t.Fatalf("shell output\n%.2000q\nwant\n%.2000q", got, want)
	}
}
