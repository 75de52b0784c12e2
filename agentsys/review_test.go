package agentsys_test

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"testing"

	"github.com/sisemu/sisemu/agentsys"
	"github.com/sisemu/sisemu/agentsys/asm"
	"github.com/sisemu/sisemu/agentsys/frame"
)

// TestReadIsCappedAt512: §2.2 "at most 512 bytes read", whatever length
// the 12-byte trailer asks for.
func TestReadIsCappedAt512(t *testing.T) {
	sys, _ := agentsys.New(agentsys.Options{})
	data := bytes.Repeat([]byte("0123456789"), 60) // 600 bytes
	w := binary.LittleEndian.AppendUint64(frame.PathPayload("/tmp/big"), 0)
	if r := sys.HandleFrame(0, frame.FsWrite, frame.Token(0), append(w, data...)); r.Kind != agentsys.OK {
		t.Fatalf("write: %s %v", r.Kind, r.Err)
	}
	read := func(off uint64, n uint32, trailer bool) []byte {
		p := frame.PathPayload("/tmp/big")
		if trailer {
			p = binary.LittleEndian.AppendUint64(p, off)
			p = binary.LittleEndian.AppendUint32(p, n)
		}
		r := sys.HandleFrame(0, frame.FsRead, frame.Token(0), p)
		if r.Kind != agentsys.OK {
			t.Fatalf("read %d/%d: %s", off, n, r.Kind)
		}
		return r.Effect.Data
	}
	if got := read(0, 0, false); !bytes.Equal(got, data[:512]) {
		t.Errorf("default read: %d bytes", len(got))
	}
	if got := read(0, 1000, true); !bytes.Equal(got, data[:512]) {
		t.Errorf("len 1000: %d bytes", len(got))
	}
	if got := read(0, 0xFFFFFFFF, true); !bytes.Equal(got, data[:512]) {
		t.Errorf("len 2^32-1: %d bytes", len(got))
	}
	if got := read(100, 1000, true); !bytes.Equal(got, data[100:600]) {
		t.Errorf("offset 100, len 1000: %d bytes", len(got))
	}
	if got := read(590, 3, true); !bytes.Equal(got, data[590:593]) {
		t.Errorf("offset 590, len 3: %q", got)
	}
}

// TestThrottleFaultReportedWithBadFrame: the call that pushes a supervised
// agent over its syscall rate raises the fault even when its frame is
// malformed or its opcode unsupported; the fault is reported with that
// call (ASMBefore) and the call keeps its own kind.
func TestThrottleFaultReportedWithBadFrame(t *testing.T) {
	for _, c := range []struct {
		op      frame.Opcode
		payload []byte
		kind    agentsys.Kind
	}{
		{frame.FsList, []byte{9}, agentsys.BadFrame},
		{0x3F, nil, agentsys.Unsupported},
	} {
		sys, _ := agentsys.New(agentsys.Options{})
		if _, err := sys.ASM().Spawn(0, 2, "files", frame.Caps(frame.FsBasic), false); err != nil {
			t.Fatal(err)
		}
		ok := frame.PathPayload("/tmp/files/")
		for i := range 1000 {
			if r := sys.HandleFrame(5, frame.FsList, frame.Token(2), ok); r.Kind != agentsys.OK {
				t.Fatalf("call %d: %s", i, r.Kind)
			}
		}
		r := sys.HandleFrame(5, c.op, frame.Token(2), c.payload)
		want := []asm.Event{{Kind: asm.EvFault, Agent: 2, Fault: asm.FaultSyscallRate}}
		if r.Kind != c.kind || !reflect.DeepEqual(r.ASMBefore, want) || r.Record.Allowed {
			t.Fatalf("op 0x%02X: kind %s, before %+v, record %+v", uint8(c.op), r.Kind, r.ASMBefore, r.Record)
		}
		// The next well-formed call in the window is refused, no new fault.
		r = sys.HandleFrame(5, frame.FsList, frame.Token(2), ok)
		if r.Kind != agentsys.AuthFailed || r.Denial != agentsys.ReasonRateLimit || len(r.ASMBefore) != 0 {
			t.Fatalf("after the fault: %s %q %+v", r.Kind, r.Denial, r.ASMBefore)
		}
	}
}
