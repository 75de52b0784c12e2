package agentsys_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"path"
	"strings"
	"testing"

	"github.com/sisemu/sisemu/agentsys"
	"github.com/sisemu/sisemu/agentsys/frame"
	"github.com/sisemu/sisemu/agentsys/vfs"
)

var fsOps = []frame.Opcode{frame.FsList, frame.FsRead, frame.FsWrite, frame.FsStat, frame.FsCreate, frame.FsDelete}

// fsPayload builds a well-formed payload of an FS opcode for path p.
func fsPayload(op frame.Opcode, p string) []byte {
	b := frame.PathPayload(p)
	switch op {
	case frame.FsRead:
		b = binary.LittleEndian.AppendUint64(b, 0)
		b = binary.LittleEndian.AppendUint32(b, 16)
	case frame.FsWrite:
		b = binary.LittleEndian.AppendUint64(b, 0)
		b = append(b, "xyz"...)
	case frame.FsCreate:
		b = append(b, 0)
	}
	return b
}

// oracle is the policy of §2.3 written the obvious way: the table's
// capabilities, and a scope test on path.Clean with a trailing slash.
func oracle(a agentsys.Agent, op frame.Opcode, p string) (bool, string) {
	if !a.Caps.Has(op.Required()) {
		return false, agentsys.ReasonCapability
	}
	if a.Scope != "" && !strings.HasPrefix(path.Clean(p)+"/", a.Scope) {
		return false, agentsys.ReasonScope
	}
	return true, ""
}

// TestSecurityTable checks every agent of the table against every FS opcode
// and a set of paths, traversal attempts included: the decision matches the
// oracle, a denied call leaves the VFS byte-identical, and every call leaves
// exactly one audit record.
func TestSecurityTable(t *testing.T) {
	paths := []string{
		"/tmp/", "/tmp", "/tmp/test.txt",
		"/tmp/files", "/tmp/files/", "/tmp/files/hello.txt", "/tmp/files/new.txt",
		"/tmp/docs/readme.txt", "/tmp/docs",
		"/tmp/files/../docs/readme.txt", "/tmp/files/./../../x", "/tmp/filesX", "/tmp/filesX/a",
		"//tmp/files/a", "/tmp//files//hello.txt", "/tmp/files/.", "/tmp/files/..",
		"/tmp/files/a/../../docs", "/tmp/docs/../files/hello.txt", "/tmp/files/\x00/../../docs/readme.txt",
		"/tmp/files\x00/x", "/../tmp/files/hello.txt", "/", "/etc/passwd",
	}
	for _, a := range agentsys.DefaultAgents() {
		for _, op := range fsOps {
			for _, p := range paths {
				t.Run(fmt.Sprintf("%s/%s/%q", a.Name, op, p), func(t *testing.T) {
					sys, err := agentsys.New(agentsys.Options{})
					if err != nil {
						t.Fatal(err)
					}
					before := sys.FS().Snapshot()
					r := sys.HandleFrame(5, op, frame.Token(uint16(a.ID)), fsPayload(op, p))
					wantAllow, reason := oracle(a, op, p)
					if wantAllow {
						if r.Kind != agentsys.OK && r.Kind != agentsys.IoError {
							t.Fatalf("got %s (%s), want allowed", r.Kind, r.Denial)
						}
					} else {
						if r.Kind != agentsys.AuthFailed || r.Denial != reason {
							t.Fatalf("got %s %q, want AuthFailed %q", r.Kind, r.Denial, reason)
						}
						if !errors.Is(r.Err, agentsys.ErrAuthFailed) {
							t.Fatalf("err %v does not wrap ErrAuthFailed", r.Err)
						}
						if after := sys.FS().Snapshot(); after != before {
							t.Fatalf("denied call changed the VFS:\n%s\n---\n%s", before, after)
						}
					}
					if sys.TotalOps() != 1 || sys.AuditHeld() != 1 {
						t.Fatalf("total=%d held=%d, want one record", sys.TotalOps(), sys.AuditHeld())
					}
					rec := sys.Audit(10)[0]
					want := agentsys.Record{Agent: a.ID, Op: op, Allowed: r.Kind == agentsys.OK, TsUs: 0}
					if rec != want || rec != r.Record {
						t.Fatalf("record %+v, result record %+v, want %+v", rec, r.Record, want)
					}
				})
			}
		}
	}
}

// TestBadFramesNeverReachPolicy: malformed FS payloads are BadFrame for any
// agent (even an unregistered one), leave the VFS alone, audit once as DENY.
func TestBadFramesNeverReachPolicy(t *testing.T) {
	long := strings.Repeat("a", 70000)
	cases := []struct {
		name    string
		op      frame.Opcode
		payload []byte
		reason  string
	}{
		{"empty", frame.FsList, nil, frame.ReasonShort},
		{"one byte", frame.FsStat, []byte{5}, frame.ReasonShort},
		{"overrun", frame.FsList, []byte{10, 0, '/', 't'}, frame.ReasonOverrun},
		{"overrun max", frame.FsDelete, append([]byte{0xFF, 0xFF}, long[:100]...), frame.ReasonOverrun},
		{"bad utf8", frame.FsList, []byte{3, 0, '/', 0xFF, 0xFE}, frame.ReasonUTF8},
		{"overlong utf8 slash", frame.FsList, []byte{3, 0, '/', 0xC0, 0xAF}, frame.ReasonUTF8},
		{"relative", frame.FsList, frame.PathPayload("tmp/files"), frame.ReasonRelative},
		{"dot relative", frame.FsRead, frame.PathPayload("./tmp"), frame.ReasonRelative},
		{"empty path", frame.FsStat, frame.PathPayload(""), frame.ReasonRelative},
		{"write no offset", frame.FsWrite, frame.PathPayload("/tmp/files/a"), frame.ReasonShort},
		{"write short offset", frame.FsWrite, append(frame.PathPayload("/tmp/files/a"), 1, 2, 3, 4, 5, 6, 7), frame.ReasonShort},
		{"create 2 bytes", frame.FsCreate, []byte{0, 0}, frame.ReasonShort},
		{"create relative", frame.FsCreate, []byte{1, 0, 'a'}, frame.ReasonRelative},
	}
	for _, c := range cases {
		for _, agent := range []uint16{0, 2, 4, 9, 65535} {
			t.Run(fmt.Sprintf("%s/%d", c.name, agent), func(t *testing.T) {
				sys, _ := agentsys.New(agentsys.Options{})
				before := sys.FS().Snapshot()
				r := sys.HandleFrame(0, c.op, frame.Token(agent), c.payload)
				if r.Kind != agentsys.BadFrame || r.BadFrame != c.reason || !errors.Is(r.Err, agentsys.ErrBadFrame) {
					t.Fatalf("got %s %q (%v), want BadFrame %q", r.Kind, r.BadFrame, r.Err, c.reason)
				}
				if sys.FS().Snapshot() != before || sys.TotalOps() != 1 || r.Record.Allowed {
					t.Fatalf("state changed or audit wrong: total=%d rec=%+v", sys.TotalOps(), r.Record)
				}
				if m := sys.Metrics(); m.PolicyAllows+m.PolicyDenies+m.ScopeViolations != 0 {
					t.Fatalf("policy ran on a bad frame: %+v", m)
				}
			})
		}
	}
}

// TestMalformedPathsEveryAgentEveryFsOp: for every agent of the table and
// every FS opcode, a relative path, an empty path, an over-long length and
// invalid UTF-8 are BadFrame before any policy check, change nothing and
// leave one DENY record.
func TestMalformedPathsEveryAgentEveryFsOp(t *testing.T) {
	bad := []struct {
		name   string
		path   []byte // the u16 length and bytes
		reason string
	}{
		{"relative", frame.PathPayload("tmp/files/hello.txt"), frame.ReasonRelative},
		{"dot relative", frame.PathPayload("../tmp/files"), frame.ReasonRelative},
		{"empty", frame.PathPayload(""), frame.ReasonRelative},
		{"over-long", append([]byte{0x40, 0}, "/tmp/files/a"...), frame.ReasonOverrun},
		{"max length", append([]byte{0xFF, 0xFF}, "/tmp/files/a"...), frame.ReasonOverrun},
		{"invalid utf-8", append([]byte{12, 0}, "/tmp/files/\xff"...), frame.ReasonUTF8},
		{"surrogate", append([]byte{14, 0}, "/tmp/files/\xed\xa0\x80"...), frame.ReasonUTF8},
		{"one byte", []byte{1}, frame.ReasonShort},
	}
	for _, a := range agentsys.DefaultAgents() {
		for _, op := range fsOps {
			for _, c := range bad {
				p := append([]byte(nil), c.path...)
				if c.reason != frame.ReasonShort && c.reason != frame.ReasonOverrun {
					switch op { // the rest of a well-formed payload
					case frame.FsRead:
						p = append(p, make([]byte, 12)...)
					case frame.FsWrite:
						p = append(p, make([]byte, 9)...)
					case frame.FsCreate:
						p = append(p, 1)
					}
				}
				want := c.reason
				if op == frame.FsCreate && len(p) < 3 {
					want = frame.ReasonShort
				}
				sys, _ := agentsys.New(agentsys.Options{})
				before := sys.FS().Snapshot()
				r := sys.HandleFrame(0, op, frame.Token(uint16(a.ID)), p)
				m := sys.Metrics()
				if r.Kind != agentsys.BadFrame || r.BadFrame != want || sys.FS().Snapshot() != before ||
					sys.TotalOps() != 1 || r.Record.Allowed || m.PolicyAllows+m.PolicyDenies+m.ScopeViolations != 0 {
					t.Errorf("%s %s %s: %s %q (want %q), ops %d, metrics %+v", a.Name, op, c.name, r.Kind, r.BadFrame, want, sys.TotalOps(), m)
				}
			}
		}
	}
}

// TestCheckOrder: opcode before payload before policy; unregistered agents
// get Unsupported for a bad opcode and BadFrame for a bad payload.
func TestCheckOrder(t *testing.T) {
	sys, _ := agentsys.New(agentsys.Options{})
	cases := []struct {
		op      frame.Opcode
		agent   uint16
		payload []byte
		kind    agentsys.Kind
		denial  string
	}{
		{0x3F, 9, nil, agentsys.Unsupported, ""},
		{0x2F, 65535, frame.PathPayload("/tmp"), agentsys.Unsupported, ""},
		{0xFF, 0, nil, agentsys.Unsupported, ""},
		{frame.FsList, 9, nil, agentsys.BadFrame, ""},
		{frame.FsList, 9, frame.PathPayload("/tmp"), agentsys.AuthFailed, agentsys.ReasonNotRegistered},
		{frame.AudioPlay, 2, []byte{1, 0, 0, 0}, agentsys.AuthFailed, agentsys.ReasonCapability},
		{frame.AudioVolume, 4, []byte{101}, agentsys.BadFrame, ""},
		{frame.AudioVolume, 2, []byte{101}, agentsys.BadFrame, ""},
		{frame.FsRead, 2, frame.PathPayload("/tmp/files/missing"), agentsys.IoError, ""},
	}
	for i, c := range cases {
		r := sys.HandleFrame(0, c.op, frame.Token(c.agent), c.payload)
		if r.Kind != c.kind || r.Denial != c.denial {
			t.Errorf("case %d: got %s %q, want %s %q", i, r.Kind, r.Denial, c.kind, c.denial)
		}
		if sys.TotalOps() != uint64(i+1) {
			t.Errorf("case %d: total ops %d", i, sys.TotalOps())
		}
	}
}

// TestScopeCleaning pins InScope on the §2.3 examples.
func TestScopeCleaning(t *testing.T) {
	in := []string{"/tmp/files", "/tmp/files/", "/tmp/files/a", "//tmp/files/a", "/tmp/files/./a", "/tmp/docs/../files/a", "/../tmp/files"}
	out := []string{"/tmp/filesX", "/tmp/files/../docs", "/tmp/files/./../../x", "/tmp", "/", "/tmp/file", "tmp/files/a", ""}
	for _, p := range in {
		if !agentsys.InScope(p, "/tmp/files/") {
			t.Errorf("%q should be in scope", p)
		}
	}
	for _, p := range out {
		if agentsys.InScope(p, "/tmp/files/") {
			t.Errorf("%q should be out of scope", p)
		}
	}
	if !agentsys.InScope("/anything", "") {
		t.Error("no prefix means no restriction")
	}
}

// TestSizeStep exercises step 5 with a custom table (the fixed one has no
// size limit) and checks that a denied write creates nothing.
func TestSizeStep(t *testing.T) {
	agents := []agentsys.Agent{{ID: 7, Name: "small", Caps: frame.Caps(frame.FsBasic), MaxFileSize: 2, Enabled: true},
		{ID: 8, Name: "off", Caps: frame.Caps(frame.FsBasic)}}
	sys, err := agentsys.New(agentsys.Options{Agents: agents})
	if err != nil {
		t.Fatal(err)
	}
	before := sys.FS().Snapshot()
	r := sys.HandleFrame(0, frame.FsWrite, frame.Token(7), fsPayload(frame.FsWrite, "/tmp/new"))
	if r.Kind != agentsys.AuthFailed || r.Denial != agentsys.ReasonSize {
		t.Fatalf("got %s %q", r.Kind, r.Denial)
	}
	if sys.FS().Snapshot() != before {
		t.Fatal("size-denied write changed the VFS")
	}
	r = sys.HandleFrame(0, frame.FsList, frame.Token(8), frame.PathPayload("/"))
	if r.Denial != agentsys.ReasonDisabled {
		t.Fatalf("disabled agent: %s %q", r.Kind, r.Denial)
	}
	if _, err := agentsys.New(agentsys.Options{Agents: []agentsys.Agent{{ID: 1, Scope: "tmp"}}}); err == nil {
		t.Fatal("relative scope accepted")
	}
	if _, err := agentsys.New(agentsys.Options{Agents: []agentsys.Agent{{ID: 1}, {ID: 1}}}); err == nil {
		t.Fatal("duplicate id accepted")
	}
}

// TestPolicyMetrics counts §2.3's metrics and §3's.
func TestPolicyMetrics(t *testing.T) {
	sys, _ := agentsys.New(agentsys.Options{})
	sys.HandleFrame(0, frame.FsList, frame.Token(65535), frame.PathPayload("/tmp"))       // allow
	sys.HandleFrame(0, frame.FsList, frame.Token(4), frame.PathPayload("/tmp"))           // capability
	sys.HandleFrame(0, frame.FsList, frame.Token(2), frame.PathPayload("/tmp"))           // scope
	sys.HandleFrame(0, frame.FsList, frame.Token(77), frame.PathPayload("/tmp"))          // not registered
	sys.HandleFrame(0, 0x50, frame.Token(0), nil)                                         // unsupported
	sys.HandleFrame(0, frame.FsWrite, frame.Token(0), fsPayload(frame.FsWrite, "/tmp/w")) // two allows
	m := sys.Metrics()
	want := agentsys.Metrics{CallsTotal: 6, AuditEvents: 6, DeniesTotal: 4, PolicyDenies: 1, ScopeViolations: 1, PolicyAllows: 3}
	want.PerOp[0] = 4
	want.PerOp[2] = 1
	if m != want {
		t.Fatalf("metrics %+v\nwant    %+v", m, want)
	}
}

// TestRing: the 201st record overwrites the oldest; total counts all.
func TestRing(t *testing.T) {
	sys, _ := agentsys.New(agentsys.Options{})
	for i := range 205 {
		sys.HandleFrame(0, frame.AudioStop, frame.Token(uint16(i)), nil)
	}
	if sys.AuditHeld() != agentsys.RingSize || sys.TotalOps() != 205 {
		t.Fatalf("held %d total %d", sys.AuditHeld(), sys.TotalOps())
	}
	recs := sys.Audit(1000)
	if len(recs) != agentsys.RingSize || recs[0].Agent != 204 || recs[199].Agent != 5 {
		t.Fatalf("len %d newest %d oldest %d", len(recs), recs[0].Agent, recs[len(recs)-1].Agent)
	}
	if len(sys.Audit(0)) != 0 || len(sys.Audit(-3)) != 0 {
		t.Fatal("Audit(<=0) returned records")
	}
}

// TestEffects walks each opcode's effect and its errors.
func TestEffects(t *testing.T) {
	sys, _ := agentsys.New(agentsys.Options{})
	const root = 0
	do := func(op frame.Opcode, p []byte) agentsys.Result {
		return sys.HandleFrame(3_125_000, op, frame.Token(root), p)
	}
	le := binary.LittleEndian

	r := do(frame.FsRead, frame.PathPayload("/tmp/test.txt"))
	if string(r.Effect.Data) != "SIS test file\n" {
		t.Fatalf("read %q", r.Effect.Data)
	}
	p := le.AppendUint32(le.AppendUint64(frame.PathPayload("/tmp/test.txt"), 4), 4)
	if r = do(frame.FsRead, p); string(r.Effect.Data) != "test" {
		t.Fatalf("read at 4 len 4: %q", r.Effect.Data)
	}
	p = le.AppendUint32(le.AppendUint64(frame.PathPayload("/tmp/test.txt"), 0), 100000)
	if r = do(frame.FsRead, p); len(r.Effect.Data) != 14 {
		t.Fatalf("len capped read: %d", len(r.Effect.Data))
	}
	// Offset/len only when all 12 bytes follow the path.
	p = le.AppendUint64(frame.PathPayload("/tmp/test.txt"), 4)
	if r = do(frame.FsRead, p); string(r.Effect.Data) != "SIS test file\n" {
		t.Fatalf("partial offset ignored: %q", r.Effect.Data)
	}
	if r = do(frame.FsRead, frame.PathPayload("/tmp/docs")); r.IO == nil || r.IO.Stage != agentsys.StageRead || !errors.Is(r.Err, vfs.ErrIsDir) {
		t.Fatalf("read dir: %+v", r.IO)
	}
	if r = do(frame.FsRead, frame.PathPayload("/tmp/nope")); r.IO.Stage != agentsys.StageOpen || !errors.Is(r.Err, vfs.ErrNotExist) {
		t.Fatalf("read missing: %+v", r.IO)
	}
	// Write with create, at an offset past the end.
	p = append(le.AppendUint64(frame.PathPayload("/tmp/new.bin"), 2), "ab"...)
	if r = do(frame.FsWrite, p); r.Kind != agentsys.OK || r.Effect.Written != 2 {
		t.Fatalf("write: %s %+v", r.Kind, r.Effect)
	}
	if r = do(frame.FsRead, frame.PathPayload("/tmp/new.bin")); string(r.Effect.Data) != "\x00\x00ab" {
		t.Fatalf("written file %q", r.Effect.Data)
	}
	p = append(le.AppendUint64(frame.PathPayload("/tmp/nodir/x"), 0), "ab"...)
	if r = do(frame.FsWrite, p); r.IO.Stage != agentsys.StageOpenCreate || !errors.Is(r.Err, vfs.ErrNotExist) {
		t.Fatalf("write into missing dir: %+v", r.IO)
	}
	p = append(le.AppendUint64(frame.PathPayload("/tmp/test.txt/x"), 0), "ab"...)
	if r = do(frame.FsWrite, p); !errors.Is(r.Err, vfs.ErrNotDir) {
		t.Fatalf("write under a file: %v", r.Err)
	}
	p = le.AppendUint64(frame.PathPayload("/tmp/new.bin"), 1<<40)
	if r = do(frame.FsWrite, append(p, 'x')); r.IO == nil || r.IO.Stage != agentsys.StageWrite {
		t.Fatalf("huge offset: %s %+v", r.Kind, r.IO)
	}
	// Stat.
	if r = do(frame.FsStat, frame.PathPayload("/tmp/docs/")); r.Effect.Stat.Type != vfs.Dir || r.Effect.Stat.Mode != 0o755 {
		t.Fatalf("stat dir %+v", r.Effect.Stat)
	}
	if r = do(frame.FsStat, frame.PathPayload("/tmp/test.txt")); r.Effect.Stat.Size != 14 || r.Effect.Stat.Mode != 0o644 {
		t.Fatalf("stat file %+v", r.Effect.Stat)
	}
	if r = do(frame.FsStat, frame.PathPayload("/x")); r.IO.Stage != agentsys.StageStat {
		t.Fatalf("stat missing %+v", r.IO)
	}
	// Create / delete.
	if r = do(frame.FsCreate, append(frame.PathPayload("/tmp/d"), 7)); r.Kind != agentsys.OK || !r.Effect.Dir {
		t.Fatalf("mkdir %s", r.Kind)
	}
	if r = do(frame.FsCreate, frame.PathPayload("/tmp/d/f")); r.Kind != agentsys.OK || r.Effect.Dir {
		t.Fatalf("create file without kind byte %s", r.Kind)
	}
	if r = do(frame.FsCreate, frame.PathPayload("/tmp/d/f")); !errors.Is(r.Err, vfs.ErrExist) || r.IO.Stage != agentsys.StageCreate {
		t.Fatalf("create twice %v", r.Err)
	}
	if r = do(frame.FsDelete, frame.PathPayload("/tmp/d")); !errors.Is(r.Err, vfs.ErrNotEmpty) || r.IO.Stage != agentsys.StageDelete {
		t.Fatalf("delete non-empty %v", r.Err)
	}
	for _, q := range []string{"/tmp/d/f", "/tmp/d"} {
		if r = do(frame.FsDelete, frame.PathPayload(q)); r.Kind != agentsys.OK {
			t.Fatalf("delete %s: %v", q, r.Err)
		}
	}
	if r = do(frame.FsDelete, frame.PathPayload("/")); !errors.Is(r.Err, vfs.ErrBusy) {
		t.Fatalf("delete root %v", r.Err)
	}
	if r = do(frame.FsList, frame.PathPayload("/tmp/test.txt")); r.IO.Stage != agentsys.StageReaddir || !errors.Is(r.Err, vfs.ErrNotDir) {
		t.Fatalf("list file %+v", r.IO)
	}
	// Audio, player.
	if r = do(frame.AudioPlay, le.AppendUint32(nil, 7)); r.Effect.Path != "/tmp/agentsys/audio_track_7.wav" || !sys.Player().Playing {
		t.Fatalf("play %+v %+v", r.Effect, sys.Player())
	}
	st, err := sys.FS().Stat("/tmp/agentsys/audio_track_7.wav")
	if err != nil || st.Size != 52 {
		t.Fatalf("wav %+v %v", st, err)
	}
	wav, _ := sys.FS().ReadAt("/tmp/agentsys/audio_track_7.wav", 0, 64)
	if string(wav[:4]) != "RIFF" || string(wav[8:12]) != "WAVE" || le.Uint32(wav[24:]) != 8000 || wav[34] != 8 || wav[44] != 128 || wav[51] != 128 {
		t.Fatalf("wav header % x", wav)
	}
	do(frame.AudioVolume, []byte{100})
	do(frame.AudioStop, nil)
	if pl := sys.Player(); pl != (agentsys.Player{Track: 7, Playing: false, Volume: 100}) {
		t.Fatalf("player %+v", pl)
	}
	// Documents.
	if r = do(frame.DocNew, frame.PathPayload("notes")); r.Effect.Ref != 1 || r.Effect.Name != "notes" {
		t.Fatalf("doc new %+v", r.Effect)
	}
	if r = do(frame.DocNew, frame.PathPayload("b")); r.Effect.Ref != 2 {
		t.Fatalf("second ref %d", r.Effect.Ref)
	}
	do(frame.DocEdit, []byte{1, 0, 0, 0, 5, 0})
	do(frame.DocSave, []byte{1, 0, 0, 0})
	if r = do(frame.DocSave, []byte{9, 0, 0, 0}); r.Kind != agentsys.IoError || r.IO.Stage != agentsys.StageDocRef || r.IO.Ref != 9 {
		t.Fatalf("unknown ref %+v", r.IO)
	}
	if docs := sys.Documents(); len(docs) != 2 || docs[0].Edits != 5 || docs[0].Saves != 1 || docs[0].Dirty {
		t.Fatalf("docs %+v", docs)
	}
	// Capture: 3,125,000 ticks = 50 ms.
	if r = do(frame.Screenshot, nil); r.Effect.Path != "/tmp/agentsys/screenshot_50.png" || r.Effect.Size != 66 {
		t.Fatalf("screenshot %+v", r.Effect)
	}
	if st, _ := sys.FS().Stat(r.Effect.Path); st.Size != 66 {
		t.Fatalf("png size %d", st.Size)
	}
	for _, c := range []struct {
		p    []byte
		dur  uint32
		name string
	}{{nil, 5000, "recording_50_5000.mp4"}, {[]byte{3}, 5000, "recording_50_5000.mp4"}, {[]byte{3, 0}, 3000, "recording_50_3000.mp4"}, {[]byte{0x10, 0x27, 0, 0}, 10000, "recording_50_10000.mp4"}} {
		r = do(frame.AudioRecord, c.p)
		if r.Effect.DurationMs != c.dur || r.Effect.Path != "/tmp/agentsys/"+c.name {
			t.Fatalf("record %v: %+v", c.p, r.Effect)
		}
		data, _ := sys.FS().ReadAt(r.Effect.Path, 0, 100)
		if string(data) != fmt.Sprintf("VIDEO:%dms:PLACEHOLDER", c.dur) {
			t.Fatalf("record file %q", data)
		}
	}
	// A file where the media directory should be → IoError, nothing played.
	sys2, _ := agentsys.New(agentsys.Options{})
	sys2.HandleFrame(0, frame.FsCreate, frame.Token(0), frame.PathPayload("/tmp/agentsys\x00"[:13]))
	if r = sys2.HandleFrame(0, frame.AudioPlay, frame.Token(0), []byte{1, 0, 0, 0}); r.IO == nil || r.IO.Stage != agentsys.StageMediaCreate || sys2.Player().Playing {
		t.Fatalf("play onto file: %s %+v", r.Kind, r.IO)
	}
}

// TestOverhead: the protocol state stays well under the kernel's 100 KiB.
func TestOverhead(t *testing.T) {
	sys, _ := agentsys.New(agentsys.Options{})
	base := sys.Overhead()
	for i := range 300 {
		sys.HandleFrame(0, frame.FsList, frame.Token(0), frame.PathPayload("/tmp"))
		_ = i
	}
	if sys.Overhead() != base {
		t.Fatalf("audit records grew the overhead: %d → %d", base, sys.Overhead())
	}
	sys.HandleFrame(0, frame.FsWrite, frame.Token(0), append(binary.LittleEndian.AppendUint64(frame.PathPayload("/tmp/x"), 0), "12345"...))
	if got := sys.Overhead(); got != base+1+5 {
		t.Fatalf("overhead %d, want %d (+name +data)", got, base+6)
	}
	if base >= 102400 {
		t.Fatalf("overhead %d", base)
	}
	t.Logf("overhead of a fresh system: %d bytes", base)
}
