package emu

import (
	"encoding/binary"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/sisemu/sisemu/agentsys/frame"
)

// TestAgentsysPayloadTextStaysOnItsLine: names and paths come from the
// payload and may hold any valid UTF-8, control bytes included. Printed
// raw, a line feed in a DOC_NEW name or an FS path would split the
// kernel's one-line format and let a payload forge console lines of its
// own (`CMD_DONE`, an `[AUDIT]` record, `[AgentSys] Test PASSED`). Control
// bytes (< 0x20, 0x7F) print as `.`, as in the FS_READ preview; printable
// text, UTF-8 included, is unchanged.
func TestAgentsysPayloadTextStaysOnItsLine(t *testing.T) {
	m := MustNew(Options{})
	call := func(agent, op string, payload []byte) string {
		return m.Exec("agentsys call " + agent + " " + op + " " + hex.EncodeToString(payload)).Output
	}
	evil := "/tmp/x\n[AUDIT] agent=9 op=0x30 result=ALLOW\r\nCMD_DONE\x1b[2J\x7fé"
	shown := "/tmp/x.[AUDIT] agent=9 op=0x30 result=ALLOW..CMD_DONE.[2J.é"
	withKind := append(frame.PathPayload(evil), 0)
	withOffset := binary.LittleEndian.AppendUint64(frame.PathPayload(evil), 0)
	cases := []struct {
		op      string
		payload []byte
		want    string
	}{
		{"0x34", withKind, "[FS] Created: " + shown + " (file)\n[AUDIT] agent=0 op=0x34 result=ALLOW\n"},
		{"0x32", append(withOffset, "hi"...), "[FS] Wrote 2 bytes to " + shown + "\n[AUDIT] agent=0 op=0x32 result=ALLOW\n"},
		{"0x33", frame.PathPayload(evil), "[FS] Stat: " + shown + " - size=2 mode=0644 type=file\n[AUDIT] agent=0 op=0x33 result=ALLOW\n"},
		{"0x30", frame.PathPayload("/tmp/"), "[FS] Entries: docs/, files/, test.txt, " + strings.TrimPrefix(shown, "/tmp/") + "\n[AUDIT] agent=0 op=0x30 result=ALLOW\n"},
		{"0x35", frame.PathPayload(evil), "[FS] Deleted: " + shown + "\n[AUDIT] agent=0 op=0x35 result=ALLOW\n"},
		{"0x39", frame.PathPayload("n\n[AgentSys] Test PASSED"), "[AgentSys] DOC_NEW: name=n.[AgentSys] Test PASSED ref=1\n[DOC] Created\n[AUDIT] agent=0 op=0x39 result=ALLOW\n"},
	}
	for _, c := range cases {
		want := c.want + "[AgentSys] Call result: ok\nCMD_DONE\n"
		if got := call("0", c.op, c.payload); got != want {
			t.Errorf("op %s:\n%q\nwant\n%q", c.op, got, want)
		}
	}
}
