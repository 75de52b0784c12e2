package dataflow

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"
)

func unhexT(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The worked examples of dataflow.md §4.4.
func TestFrameWorkedExamples(t *testing.T) {
	cases := []struct {
		f   Frame
		hex string
	}{
		{Frame{Cmd: CmdAddOperator, Token: DefaultToken, Op: WireOp{ID: 1, In: NoChannel, Out: 0, Priority: 10}},
			"43000300120000002" + "14C5254435F535301000000FFFF00000A00"},
		{Frame{Cmd: CmdCreateGraph, Token: DefaultToken}, "4300010008000000214c5254435f5353"},
		{Frame{Cmd: CmdAddChannel, Token: DefaultToken, Capacity: 64}, "430002000a000000214c5254435f53534000"},
		{Frame{Cmd: CmdStartGraph, Token: DefaultToken, Steps: 100}, "430004000c000000214c5254435f535364000000"},
	}
	for _, c := range cases {
		want := unhexT(t, c.hex)
		got, err := c.f.MarshalBinary()
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("encode %+v:\n got %x\nwant %x (%v)", c.f, got, want, err)
		}
		d, err := Decode(want)
		if err != nil || d.Cmd != c.f.Cmd || d.Token != DefaultToken || !sameOp(d.Op, c.f.Op) || d.Capacity != c.f.Capacity || d.Steps != c.f.Steps {
			t.Fatalf("decode %x: %+v %v", want, d, err)
		}
		if err := d.Authorize(DefaultTokens()); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFrameRoundTrip(t *testing.T) {
	frames := []Frame{
		{Cmd: CmdAddOperatorTyped, Token: 7, Flags: 3, Op: WireOp{ID: 0xDEADBEEF, In: 2, Out: 9, Priority: 255, Stage: StageExplain, Typed: true, InSchema: 1001, OutSchema: 1002}},
		{Cmd: CmdEnableDeterministic, Token: DefaultToken, Wcet: 1, Period: 1 << 40, Deadline: ^uint64(0)},
		{Cmd: 0x12, Token: 5, Body: []byte{1, 2, 3}},
	}
	for _, f := range frames {
		b, err := f.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		d, err := Decode(b)
		if err != nil || d.Cmd != f.Cmd || d.Flags != f.Flags || d.Token != f.Token || !sameOp(d.Op, f.Op) ||
			d.Wcet != f.Wcet || d.Period != f.Period || d.Deadline != f.Deadline || !bytes.Equal(d.Body[len(d.Body)-len(f.Body):], f.Body) {
			t.Fatalf("round trip %+v -> %x -> %+v %v", f, b, d, err)
		}
	}
}

// TestFrameRejections walks the §4.2 checks in order, one failing frame
// per check.
func TestFrameRejections(t *testing.T) {
	good := unhexT(t, "4300010008000000214c5254435f5353")
	mod := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	cases := []struct {
		name  string
		frame []byte
		want  error
		cmd   Cmd
	}{
		{"1 shorter than 8", good[:7], ErrBadFrame, 0},
		{"1 empty", nil, ErrBadFrame, 0},
		{"2 magic", mod(func(b []byte) []byte { b[0] = 0x44; return b }), ErrBadFrame, 0},
		{"3 version", mod(func(b []byte) []byte { b[1] = 1; return b }), ErrUnsupported, 0},
		{"3 before 4", mod(func(b []byte) []byte { b[1] = 1; return b[:8] }), ErrUnsupported, 0},
		{"4 truncated payload", good[:15], ErrBadFrame, 0},
		{"4 before 5", mod(func(b []byte) []byte { b[4] = 65; return b }), ErrBadFrame, 0},
		{"5 oversize", append(mod(func(b []byte) []byte { b[4] = 65; return b }), make([]byte, 57)...), ErrOversize, 0},
		{"6 unknown command", mod(func(b []byte) []byte { b[2] = 0x07; return b }), ErrUnsupported, 0},
		{"6 before 7", mod(func(b []byte) []byte { b[2] = 0x40; b[4] = 0; return b }), ErrUnsupported, 0},
		{"7 short body", unhexT(t, "430003000a000000214c5254435f53530100"), ErrShortBody, CmdAddOperator},
		{"7 len below token", unhexT(t, "4300010004000000214c5254"), ErrShortBody, CmdCreateGraph},
		{"7 typed short", unhexT(t, "43000500120000002"+"14C5254435F535301000000FFFF00000A00"), ErrShortBody, CmdAddOperatorTyped},
		{"7 det short", unhexT(t, "43000600100000002"+"14C5254435F53530100000000000000"), ErrShortBody, CmdEnableDeterministic},
	}
	for _, c := range cases {
		f, err := Decode(c.frame)
		if err != c.want && !(c.want == ErrShortBody && err == ErrShortBody) {
			t.Errorf("%s: %x: got %v, want %v", c.name, c.frame, err, c.want)
		}
		if f.Cmd != c.cmd {
			t.Errorf("%s: cmd %#x, want %#x", c.name, f.Cmd, c.cmd)
		}
	}
	if !errors.Is(ErrShortBody, ErrBadFrame) {
		t.Fatal("ErrShortBody must be a BadFrame")
	}
	// Bytes after 8+len are ignored.
	if _, err := Decode(append(append([]byte(nil), good...), 0xFF, 0xFF)); err != nil {
		t.Fatal(err)
	}
	// Check 8.
	f, _ := Decode(good)
	tok := DefaultTokens()
	tok.Control = 1
	if err := f.Authorize(tok); err != ErrAuthFailed {
		t.Fatalf("auth: %v", err)
	}
	// Stage above 4 decodes to none; 0xFFFF is none.
	op, err := Decode(unhexT(t, "43000300120000002"+"14C5254435F535301000000FFFFFFFF0A09"))
	if err != nil || op.Op.Stage != StageNone || op.Op.In != NoChannel || op.Op.Out != NoChannel {
		t.Fatalf("%+v %v", op, err)
	}
}

func TestTokenClasses(t *testing.T) {
	tok := Tokens{Control: 1, Admin: 2, Submit: 3}
	cases := []struct {
		cmd   Cmd
		token uint64
		ok    bool
	}{
		{0x10, 2, true}, {0x10, 1, false}, {0x10, 3, false},
		{0x11, 3, true}, {0x11, 2, true}, {0x11, 1, false},
		{0x12, 1, true}, {0x13, 2, false}, {0x20, 1, true}, {0x23, 3, false},
		{0x30, 12345, true}, {CmdStartGraph, 1, true}, {CmdStartGraph, 2, false},
	}
	for _, c := range cases {
		f := Frame{Cmd: c.cmd, Token: c.token}
		if err := f.Authorize(tok); (err == nil) != c.ok {
			t.Errorf("cmd %#x token %d: %v", c.cmd, c.token, err)
		}
	}
}

func TestParseToken(t *testing.T) {
	for s, want := range map[string]uint64{"53535F4354524C21": DefaultToken, "0x1": 1, "0XfF": 255, "ffffffffffffffff": ^uint64(0)} {
		if v, err := ParseToken(s); err != nil || v != want {
			t.Errorf("%q: %#x %v", s, v, err)
		}
	}
	for _, s := range []string{"", "0x", "g", "12345678901234567", "-1", "0x 1"} {
		if _, err := ParseToken(s); !errors.Is(err, ErrToken) {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestParseHexFrame(t *testing.T) {
	b, err := ParseHexFrame(nil, "43aBc")
	if err != nil || !bytes.Equal(b, []byte{0x43, 0xAB}) {
		t.Fatalf("%x %v", b, err)
	}
	for _, s := range []string{"0x43", "43 ", "4g"} {
		if _, err := ParseHexFrame(nil, s); !errors.Is(err, ErrHex) {
			t.Errorf("%q accepted", s)
		}
	}
	long := bytes.Repeat([]byte("ab"), 300)
	if b, err := ParseHexFrame(nil, string(long)); err != nil || len(b) != MaxHexFrame {
		t.Fatalf("len %d %v", len(b), err)
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		"4300010008000000214c5254435f5353",
		"430002000a000000214c5254435f53534000",
		"430004000c000000214c5254435f535364000000",
		"43000300120000002" + "14C5254435F535301000000FFFF00000A00",
		"430006002000000021" + "4C5254435F5353" + "000000000000000000000000000000000000000000000000",
		"4300050008000000",
		"43010100",
	} {
		f.Add(unhexT(f, s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		in := append([]byte(nil), b...)
		fr, err := Decode(b)
		if !bytes.Equal(in, b) {
			t.Fatal("Decode modified its input")
		}
		if err != nil {
			if !errors.Is(err, ErrBadFrame) && err != ErrUnsupported && err != ErrOversize {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if !fr.Cmd.Known() || fr.Len > FrameMaxLen || fr.Len < fr.Cmd.MinLen() || len(b) < int(8+fr.Len) {
			t.Fatalf("accepted invalid frame %x: %+v", b, fr)
		}
		// Re-encoding a graph frame and decoding it gives the same fields.
		if fr.Cmd.Graph() {
			enc, err := fr.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			fr2, err := Decode(enc)
			if err != nil || !sameOp(fr2.Op, fr.Op) || fr2.Steps != fr.Steps || fr2.Capacity != fr.Capacity || fr2.Wcet != fr.Wcet ||
				fr2.Period != fr.Period || fr2.Deadline != fr.Deadline || fr2.Token != fr.Token {
				t.Fatalf("re-encode %x -> %x: %+v vs %+v (%v)", b, enc, fr, fr2, err)
			}
		}
	})
}

func BenchmarkFrameDecodeValidate(b *testing.B) {
	frames := [][]byte{
		unhexT(b, "43000300120000002"+"14C5254435F535301000000FFFF00000A00"),
		unhexT(b, "4300010008000000214c5254435f5353"),
		unhexT(b, "430002000a000000214c5254435f53534000"),
		unhexT(b, "430004000c000000214c5254435f535364000000"),
	}
	tok := DefaultTokens()
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	var f Frame
	for i := 0; i < b.N; i++ {
		err := f.UnmarshalBinary(frames[i&3])
		if err != nil || f.Authorize(tok) != nil {
			b.Fatal(err)
		}
		n += int(f.Cmd)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mframes/s")
	_ = n
}

// sameOp compares the wire fields of two operator specs.
func sameOp(a, b WireOp) bool {
	return a.ID == b.ID && a.In == b.In && a.Out == b.Out && a.Priority == b.Priority && a.Stage == b.Stage &&
		a.InSchema == b.InSchema && a.OutSchema == b.OutSchema && a.Typed == b.Typed
}
