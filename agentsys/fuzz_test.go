package agentsys_test

import (
	"testing"

	"github.com/sisemu/sisemu/agentsys"
	"github.com/sisemu/sisemu/agentsys/frame"
)

// FuzzHandleFrame feeds arbitrary opcodes, agent ids and payloads: no
// panic, exactly one audit record per call, and a call that is not OK never
// changes the VFS.
func FuzzHandleFrame(f *testing.F) {
	f.Add(uint8(0x30), uint16(65535), []byte("\x05\x00/tmp/"))
	f.Add(uint8(0x30), uint16(2), []byte("\x1d\x00/tmp/files/../docs/readme.txt"))
	f.Add(uint8(0x32), uint16(2), []byte("\x0c\x00/tmp/files/a\x00\x00\x00\x00\x00\x00\x00\x00data"))
	f.Add(uint8(0x34), uint16(3), []byte("\x0b\x00/tmp/docs/x\x01"))
	f.Add(uint8(0x35), uint16(0), []byte("\x0a\x00/tmp/files"))
	f.Add(uint8(0x36), uint16(4), []byte{42, 0, 0, 0})
	f.Add(uint8(0x38), uint16(1), []byte{200})
	f.Add(uint8(0x3A), uint16(3), []byte{1, 0, 0, 0, 9, 0})
	f.Add(uint8(0x3D), uint16(65535), []byte{7})
	f.Add(uint8(0x3F), uint16(7), []byte{})
	f.Add(uint8(0x31), uint16(65535), []byte("\xff\xff/"))
	f.Fuzz(func(t *testing.T, op uint8, agent uint16, payload []byte) {
		sys, err := agentsys.New(agentsys.Options{})
		if err != nil {
			t.Fatal(err)
		}
		// Two calls: the second sees what the first did.
		for i := range 2 {
			before := sys.FS().Snapshot()
			token := frame.Token(agent) | uint64(i)*0xABCDEF // low bits are ignored
			r := sys.HandleFrame(1000, frame.Opcode(op), token, payload)
			if sys.TotalOps() != uint64(i+1) {
				t.Fatalf("call %d: total ops %d", i, sys.TotalOps())
			}
			if got := sys.Audit(1)[0]; got != r.Record || got.Agent != uint32(agent) || got.Op != frame.Opcode(op) || got.Allowed != (r.Kind == agentsys.OK) {
				t.Fatalf("record %+v result %+v", got, r)
			}
			if (r.Err == nil) != (r.Kind == agentsys.OK) {
				t.Fatalf("kind %s with err %v", r.Kind, r.Err)
			}
			if r.Kind != agentsys.OK && r.Kind != agentsys.IoError && sys.FS().Snapshot() != before {
				t.Fatalf("%s call changed the VFS", r.Kind)
			}
			if !frame.Opcode(op).Supported() && r.Kind != agentsys.Unsupported {
				t.Fatalf("opcode 0x%02X gave %s", op, r.Kind)
			}
		}
	})
}
