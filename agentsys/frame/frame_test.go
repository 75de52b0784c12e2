package frame_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/sisemu/sisemu/agentsys/frame"
)

func TestNamesAndCapabilities(t *testing.T) {
	want := map[frame.Opcode][3]string{
		0x30: {"FS_LIST", "fs_list", "FsBasic"}, 0x35: {"FS_DELETE", "fs_delete", "FsBasic"},
		0x36: {"AUDIO_PLAY", "audio_play", "AudioControl"}, 0x38: {"AUDIO_VOLUME", "audio_volume", "AudioControl"},
		0x39: {"DOC_NEW", "doc_new", "DocBasic"}, 0x3B: {"DOC_SAVE", "doc_save", "DocBasic"},
		0x3C: {"SCREENSHOT", "screenshot", "Screenshot"}, 0x3D: {"AUDIO_RECORD", "audio_record", "Capture"},
	}
	for op, w := range want {
		if op.String() != w[0] || op.MetricName() != w[1] || op.Required().String() != w[2] {
			t.Errorf("0x%02X: %s %s %s, want %v", uint8(op), op, op.MetricName(), op.Required(), w)
		}
	}
	if frame.Opcode(0x3F).String() != "0x3F" || frame.Opcode(0x2F).Supported() || frame.Opcode(0x3E).Required() != 0 {
		t.Error("unsupported opcode handling")
	}
	for _, c := range frame.Capabilities() {
		if got, ok := frame.ParseCapability(c.String()); !ok || got != c {
			t.Errorf("round trip %s", c)
		}
	}
	if _, ok := frame.ParseCapability("fsbasic"); ok {
		t.Error("capability names are case-sensitive")
	}
	if frame.AgentID(0xFFFF<<48|0x123456789A) != 65535 || frame.AgentID(frame.Token(2)) != 2 {
		t.Error("agent id is bits 48-63")
	}
	var s frame.Caps
	s = s.With(frame.FsBasic).With(frame.NetServer).With(frame.FsBasic)
	if s.Count() != 2 || !s.Has(frame.NetServer) || s.Has(frame.Admin) {
		t.Errorf("caps %b", s)
	}
}

func TestDecode(t *testing.T) {
	le := binary.LittleEndian
	path := frame.PathPayload("/tmp/x")
	cases := []struct {
		name    string
		op      frame.Opcode
		payload []byte
		want    frame.Request
		reason  string
	}{
		{"list", frame.FsList, path, frame.Request{Path: "/tmp/x"}, ""},
		{"list extra ignored", frame.FsList, append(path, 1, 2, 3), frame.Request{Path: "/tmp/x"}, ""},
		{"read default", frame.FsRead, path, frame.Request{Path: "/tmp/x", Len: 512}, ""},
		{"read 11 extra bytes", frame.FsRead, append(path, make([]byte, 11)...), frame.Request{Path: "/tmp/x", Len: 512}, ""},
		{"read off len", frame.FsRead, le.AppendUint32(le.AppendUint64(path, 9), 3), frame.Request{Path: "/tmp/x", Offset: 9, Len: 3}, ""},
		{"write", frame.FsWrite, append(le.AppendUint64(path, 5), "hi"...), frame.Request{Path: "/tmp/x", Offset: 5, Data: []byte("hi")}, ""},
		{"write empty data", frame.FsWrite, le.AppendUint64(path, 0), frame.Request{Path: "/tmp/x", Data: []byte{}}, ""},
		{"write short", frame.FsWrite, append(path, 1, 2, 3), frame.Request{}, frame.ReasonShort},
		{"create file", frame.FsCreate, path, frame.Request{Path: "/tmp/x"}, ""},
		{"create dir", frame.FsCreate, append(path, 2), frame.Request{Path: "/tmp/x", Dir: true}, ""},
		{"create kind 0", frame.FsCreate, append(path, 0), frame.Request{Path: "/tmp/x"}, ""},
		{"create short", frame.FsCreate, []byte{1, 0}, frame.Request{}, frame.ReasonShort},
		{"create overrun", frame.FsCreate, []byte{9, 0, '/'}, frame.Request{}, frame.ReasonOverrun},
		{"play", frame.AudioPlay, []byte{42, 0, 0, 0, 9}, frame.Request{Track: 42}, ""},
		{"play short", frame.AudioPlay, []byte{42, 0, 0}, frame.Request{}, frame.ReasonShort},
		{"stop", frame.AudioStop, nil, frame.Request{}, ""},
		{"volume", frame.AudioVolume, []byte{100}, frame.Request{Level: 100}, ""},
		{"volume high", frame.AudioVolume, []byte{101}, frame.Request{}, frame.ReasonOutOfRange},
		{"volume empty", frame.AudioVolume, nil, frame.Request{}, frame.ReasonShort},
		{"doc new", frame.DocNew, frame.PathPayload("rel name"), frame.Request{Name: "rel name"}, ""},
		{"doc new empty", frame.DocNew, []byte{0, 0}, frame.Request{}, ""},
		{"doc new bad", frame.DocNew, []byte{1, 0, 0x80}, frame.Request{}, frame.ReasonUTF8},
		{"doc edit", frame.DocEdit, []byte{7, 0, 0, 0, 3, 0}, frame.Request{Ref: 7, Ops: 3}, ""},
		{"doc edit short", frame.DocEdit, []byte{7, 0, 0, 0, 3}, frame.Request{}, frame.ReasonShort},
		{"doc save", frame.DocSave, []byte{1, 0, 0, 0}, frame.Request{Ref: 1}, ""},
		{"doc save short", frame.DocSave, []byte{1}, frame.Request{}, frame.ReasonShort},
		{"screenshot", frame.Screenshot, []byte{1, 2}, frame.Request{}, ""},
		{"record none", frame.AudioRecord, nil, frame.Request{DurationMs: 5000}, ""},
		{"record u16", frame.AudioRecord, []byte{0xFF, 0xFF, 0}, frame.Request{DurationMs: 65535000}, ""},
		{"record u32", frame.AudioRecord, []byte{1, 0, 0, 0}, frame.Request{DurationMs: 1}, ""},
	}
	for _, c := range cases {
		got, err := frame.Decode(c.op, c.payload)
		if c.reason != "" {
			var bf *frame.BadFrameError
			if !errors.As(err, &bf) || bf.Reason != c.reason || !errors.Is(err, frame.ErrBadFrame) {
				t.Errorf("%s: err %v, want %s", c.name, err, c.reason)
			}
			continue
		}
		c.want.Op = c.op
		if err != nil || got.Path != c.want.Path || got.Offset != c.want.Offset || got.Len != c.want.Len ||
			!bytes.Equal(got.Data, c.want.Data) || got.Dir != c.want.Dir || got.Track != c.want.Track ||
			got.Level != c.want.Level || got.Name != c.want.Name || got.Ref != c.want.Ref || got.Ops != c.want.Ops ||
			got.DurationMs != c.want.DurationMs {
			t.Errorf("%s: got %+v %v, want %+v", c.name, got, err, c.want)
		}
	}
	if _, err := frame.Decode(0x3E, nil); !errors.Is(err, frame.ErrUnsupported) {
		t.Errorf("0x3E: %v", err)
	}
	if p := frame.PathPayload(string(make([]byte, 70000))); len(p) != 2+0xFFFF {
		t.Errorf("PathPayload cut: %d", len(p))
	}
}

// FuzzDecode: any opcode and payload decodes or fails with a typed error;
// decoded paths are valid absolute UTF-8 that lies within the payload.
func FuzzDecode(f *testing.F) {
	f.Add(uint8(0x30), []byte("\x05\x00/tmp/"))
	f.Add(uint8(0x31), []byte("\x05\x00/tmp/\x01\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00"))
	f.Add(uint8(0x32), []byte("\x01\x00/\x00\x00\x00\x00\x00\x00\x00\x00x"))
	f.Add(uint8(0x34), []byte("\x01\x00/"))
	f.Add(uint8(0x38), []byte{101})
	f.Add(uint8(0x3A), []byte{1, 2, 3, 4, 5, 6})
	f.Add(uint8(0x3D), []byte{1, 2})
	f.Add(uint8(0x99), []byte{})
	f.Fuzz(func(t *testing.T, op uint8, p []byte) {
		r, err := frame.Decode(frame.Opcode(op), p)
		if err != nil {
			var bf *frame.BadFrameError
			if !errors.Is(err, frame.ErrUnsupported) && !errors.As(err, &bf) {
				t.Fatalf("untyped error %v", err)
			}
			if errors.Is(err, frame.ErrUnsupported) == frame.Opcode(op).Supported() {
				t.Fatalf("op 0x%02X: %v", op, err)
			}
			return
		}
		o := frame.Opcode(op)
		if o <= frame.FsDelete && (len(r.Path) == 0 || r.Path[0] != '/' || len(r.Path)+2 > len(p)) {
			t.Fatalf("bad path %q from %x", r.Path, p)
		}
		if o == frame.AudioVolume && r.Level > frame.MaxVolume {
			t.Fatalf("level %d", r.Level)
		}
		if o == frame.FsRead && r.Len > frame.DefaultReadLen && len(p) < len(r.Path)+14 {
			t.Fatalf("len %d without the 12 bytes", r.Len)
		}
	})
}
