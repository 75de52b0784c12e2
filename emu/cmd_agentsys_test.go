package emu

import (
	"fmt"
	"strings"
	"testing"
)

// TestAgentsysThrottleThroughShell drives a supervised agent's syscall
// rate (agentsys.md §5.3). One shell line costs 1 ms, so single-call lines
// make at most 1000 calls per 1 s window: exactly the limit, never over it.
// The test fills a window from the shell, checks the rollover, then adds
// calls through the Go API at one instant so that the next shell call is
// the 1001st: it raises the fault and is refused, later calls in the window
// are refused without a new fault, and the next window admits calls again.
func TestAgentsysThrottleThroughShell(t *testing.T) {
	m := MustNew(Options{})
	m.Exec("agentsys spawn 2 files FsBasic")                  // at 0 ms
	line := "agentsys call 2 0x30 0b002f746d702f66696c65732f" // FS_LIST /tmp/files/
	for i := 1; i < 1000; i++ {                               // 1..999 ms: 999 calls in window 0
		if out := m.Exec(line).Output; !strings.Contains(out, "result=ALLOW") {
			t.Fatalf("call %d: %s", i, out)
		}
	}
	if out := m.Exec(line).Output; !strings.Contains(out, "result=ALLOW") { // 1000 ms: window 1
		t.Fatalf("first call of the new window: %s", out)
	}
	if out := m.Exec("agentsys resources 2").Output; !strings.Contains(out, "Syscall Rate:      1 /sec") {
		t.Fatalf("rate after rollover:\n%s", out)
	}
	sys := m.agents.sys
	now := m.Now() // 1002 ms
	for range 999 {
		sys.HandleFrame(now, 0x30, 2<<48, []byte("\x0b\x00/tmp/files/"))
	}
	out := m.Exec(line).Output // call 1001 of this window
	want := "[ASM] Agent 2 fault detected: Syscall rate limit exceeded\n" +
		"[AgentSys] FS_LIST denied: Rate limit exceeded\n" +
		"[AUDIT] agent=2 op=0x30 result=DENY\n" +
		"[AgentSys] Call result: AuthFailed\nCMD_DONE\n"
	if out != want {
		t.Fatalf("overload call:\n%s\nwant:\n%s", out, want)
	}
	out = m.Exec(line).Output
	if !strings.HasPrefix(out, "[AgentSys] FS_LIST denied: Rate limit exceeded\n") {
		t.Fatalf("throttled call:\n%s", out)
	}
	if out := m.Exec("agentsys resources 2").Output; !strings.Contains(out, "  Status: Throttled\n") {
		t.Fatalf("resources while throttled:\n%s", out)
	}
	m.Exec("vclock advance 1000000000")
	if out := m.Exec(line).Output; !strings.Contains(out, "result=ALLOW") {
		t.Fatalf("after the window: %s", out)
	}
	if out := m.Exec("agentsys metrics 2").Output; !strings.Contains(out, "  Fault Count:       1\n") || !strings.Contains(out, "    - Syscall rate limit exceeded\n") {
		t.Fatalf("metrics:\n%s", out)
	}
	if _, ok := sys.ASM().Agent(2); !ok {
		t.Fatal("throttling removed the agent")
	}
}

// TestAgentsysStatusHasBothBlocks pins §4: protocol block first, then the
// ASM screen, no CMD_DONE.
func TestAgentsysStatusHasBothBlocks(t *testing.T) {
	m := MustNew(Options{})
	r := m.Exec("agentsys status")
	i, j := strings.Index(r.Output, "[AgentSys] Status:"), strings.Index(r.Output, "Agent Supervision Module Status")
	if i != 0 || j < 0 || r.Done || strings.Contains(r.Output, "assistant") {
		t.Fatalf("status:\n%s", r.Output)
	}
}

// FuzzAgentsysCall fuzzes the `agentsys call` argument parser through the
// shell: no panic; an accepted line makes exactly one call (one audit
// record) and ends with CMD_DONE; a rejected one prints only the usage line
// and leaves no record.
func FuzzAgentsysCall(f *testing.F) {
	for _, s := range []string{"65535 0x30 05002f746d702f", "2 48 0x05002f746d702f", "0 0x3F", "0 0x30 0", "x y z",
		"65536 1", "1 256", "1 0x", "1 0x1 0X00", "4 0x38 65", "", "0 0x32 0800 extra", "00 000 00",
		"0 0x39 0e005b41554449545d206167656e743d", "0 0x39 0b006e0a434d445f444f4e450a"} { // DOC_NEW names "[AUDIT] agent=", "n\nCMD_DONE\n"
		f.Add(s)
	}
	m := MustNew(Options{})
	f.Fuzz(func(t *testing.T, args string) {
		if m.agents.sys.Overhead() > 8<<20 {
			m = MustNew(Options{}) // keep a long run's memory bounded
		}
		before := m.agents.sys.TotalOps()
		_, _, _, ok := parseCallArgs(Tokenize(args))
		r := m.Exec("agentsys call " + args)
		after := m.agents.sys.TotalOps()
		if ok {
			if after != before+1 || !r.Done || !strings.Contains(r.Output, "[AgentSys] Call result: ") {
				t.Fatalf("accepted %q: ops %d→%d done=%v\n%s", args, before, after, r.Done, r.Output)
			}
			// Count lines, not substrings: a DOC_NEW name may contain
			// "[AUDIT] agent=" on its own line, but never a line of its own.
			lines := strings.Split(strings.TrimSuffix(r.Output, "\n"), "\n")
			audits, dones := 0, 0
			for _, l := range lines {
				if strings.HasPrefix(l, "[AUDIT] agent=") {
					audits++
				}
				if l == "CMD_DONE" {
					dones++
				}
			}
			if audits != 1 || dones != 1 || lines[len(lines)-1] != "CMD_DONE" ||
				!strings.HasPrefix(lines[len(lines)-2], "[AgentSys] Call result: ") ||
				!strings.HasPrefix(lines[len(lines)-3], "[AUDIT] agent=") {
				t.Fatalf("accepted %q: %d audit lines, %d CMD_DONE lines\n%s", args, audits, dones, r.Output)
			}
		} else if after != before || r.Done || r.Output != callUsage+"\n" {
			t.Fatalf("rejected %q: ops %d→%d\n%s", args, before, after, r.Output)
		}
	})
}

// TestParseCallArgs pins the argument grammar.
func TestParseCallArgs(t *testing.T) {
	cases := []struct {
		in    string
		agent uint16
		op    uint8
		hex   string
		ok    bool
	}{
		{"65535 0x30 05002f746d702f", 65535, 0x30, "05002f746d702f", true},
		{"0 48", 0, 48, "", true},
		{"1 0X3f 0XAB", 1, 0x3F, "ab", true},
		{"1 255 0x", 1, 255, "", true},
		{"1 0x30 abc", 0, 0, "", false},
		{"1 0x30 0x0g", 0, 0, "", false},
		{"1 -1", 0, 0, "", false},
		{"1 +1", 0, 0, "", false},
		{"+1 1", 0, 0, "", false},
		{"1 0x-1", 0, 0, "", false},
		{"1", 0, 0, "", false},
	}
	for _, c := range cases {
		a, op, p, ok := parseCallArgs(Tokenize(c.in))
		if ok != c.ok || (ok && (a != c.agent || uint8(op) != c.op || fmt.Sprintf("%x", p) != c.hex)) {
			t.Errorf("%q: %d 0x%02X %x %v", c.in, a, uint8(op), p, ok)
		}
	}
}

// TestAgentsysAuditRingThroughShell: the ring holds 200 records, the 201st
// overwrites the oldest, and `audit 200` shows exactly the newest 200 once
// each with the ring line (agentsys.md §2.6, §3).
func TestAgentsysAuditRingThroughShell(t *testing.T) {
	m := MustNew(Options{})
	for range 205 {
		m.Exec("agentsys call 1 0x37")
	}
	r := m.Exec("agentsys audit 200")
	lines := strings.Split(strings.TrimSuffix(r.Output, "\n"), "\n")
	if len(lines) != 2+200+2 || lines[len(lines)-2] != "  ring=200/200 total=205" || !r.Done {
		t.Fatalf("%d lines, tail %q", len(lines), lines[len(lines)-2:])
	}
	// Newest first: the 205th call ran at 204 ms, the oldest kept (6th) at 5 ms.
	if lines[2] != "  agent=1 op=0x37 ts=204000 allowed=true" || lines[201] != "  agent=1 op=0x37 ts=5000 allowed=true" {
		t.Fatalf("first %q last %q", lines[2], lines[201])
	}
	if r := m.Exec("agentsys audit 201"); !strings.Contains(r.Output, "ring=200/200 total=205") || strings.Count(r.Output, "  agent=") != 200 {
		t.Fatalf("audit 201:\n%s", r.Output)
	}
}
