package console

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sisemu/sisemu/emu"
)

func newSession(t testing.TB) *Session {
	t.Helper()
	m, err := emu.New(emu.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return NewSession(m)
}

func TestServeBootThenPromptAndEOF(t *testing.T) {
	s := newSession(t)
	var out bytes.Buffer
	in := strings.NewReader("metricsctl status\r\nvclock\npartial line without end")
	if err := s.Serve(in, &out); err != nil {
		t.Fatal(err)
	}
	want := s.m.Boot() + "sis> " +
		"metricsctl status\r\n[METRICSCTL] capture: ON\nsis> \r\nsis> " +
		"vclock\r\n[VCLOCK] ticks=62500 ns=1000000\nsis> " +
		"partial line without end"
	if out.String() != want {
		t.Fatalf("got:\n%q\nwant:\n%q", out.String(), want)
	}
	if !strings.Contains(want, "LAUNCHING SHELL\n[MAIN] STARTING FULL SHELL\n[SHELL] PROBE PRE\nt\n[SHELL] PROBE POST\ns\nS\n\n=== SIS Kernel Shell ===\nType 'help' for available commands\n\nsis> ") {
		t.Fatal("boot tail is not byte-exact")
	}
}

// TestBurstInputIsProcessedInOrder sends many lines in one write, as
// concurrent drivers do in Phases 7 and 8: every line is answered, in order.
func TestBurstInputIsProcessedInOrder(t *testing.T) {
	s := newSession(t)
	var in strings.Builder
	for i := 0; i < 500; i++ {
		in.WriteString("vclock\r\n")
	}
	var out bytes.Buffer
	if err := s.Serve(strings.NewReader(in.String()), &out); err != nil {
		t.Fatal(err)
	}
	body := strings.TrimPrefix(out.String(), s.m.Boot()+"sis> ")
	answers := strings.Split(body, "vclock\r\n")[1:]
	if len(answers) != 500 {
		t.Fatalf("%d answers, want 500", len(answers))
	}
	for i, a := range answers {
		ticks := i * 62_500
		want := "[VCLOCK] ticks=" + itoa(ticks) + " ns=" + itoa(ticks*16) + "\nsis> \r\nsis> "
		if a != want {
			t.Fatalf("answer %d = %q, want %q", i, a, want)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestDriverProtocol plays the kernel test driver of console.md §9.2 over a
// pipe: wait for the boot markers and prompt, send the sync line, then each
// command, reading until CMD_DONE or the prompt. Every answer arrives at
// once, and nothing is printed after a prompt until the next line.
func TestDriverProtocol(t *testing.T) {
	s := newSession(t)
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- s.Serve(inR, outW); outW.Close() }()
	rd := bufio.NewReader(outR)

	readUntil := func(pattern string) string {
		t.Helper()
		var got []byte
		for !bytes.Contains(got, []byte(pattern)) {
			b, err := rd.ReadByte()
			if err != nil {
				t.Fatalf("reading for %q: %v (got %q)", pattern, err, got)
			}
			got = append(got, b)
		}
		return string(got)
	}
	boot := readUntil("sis> ")
	for _, marker := range []string{"!KERNEL(U)", "MMU ON", "HEAP: READY", "LAUNCHING SHELL", "[MAIN] STARTING FULL SHELL", "[SHELL] PROBE POST"} {
		if !strings.Contains(boot, marker) {
			t.Errorf("boot lacks marker %q", marker)
		}
	}
	io.WriteString(inW, "\r\n")
	if got := readUntil("sis> ") + readUntil("sis> "); got != "\r\nsis> \r\nsis> " {
		t.Fatalf("sync line answer %q", got)
	}
	io.WriteString(inW, "metricsctl status\r\n")
	if got := readUntil("sis> "); got != "metricsctl status\r\n[METRICSCTL] capture: ON\nsis> " {
		t.Fatalf("command answer %q", got)
	}
	if got := readUntil("sis> "); got != "\r\nsis> " {
		t.Fatalf("second prompt %q", got)
	}
	inW.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return at end of input")
	}
	if rest, _ := io.ReadAll(rd); len(rest) != 0 {
		t.Fatalf("output after the last prompt: %q", rest)
	}
}

func TestEditorLimitsAndControls(t *testing.T) {
	var e Editor
	var echo []byte
	for i := 0; i < 300; i++ {
		echo, _, _ = e.Feed('a', echo)
	}
	if len(echo) != MaxLine || len(e.Pending()) != MaxLine {
		t.Fatalf("echo %d pending %d, want %d", len(echo), len(e.Pending()), MaxLine)
	}
	echo, line, done := e.Feed('\r', nil)
	if !done || len(line) != MaxLine || string(echo) != "\r\n" {
		t.Fatalf("line end: done=%v len=%d echo=%q", done, len(line), echo)
	}
	echo, line, done = e.Feed(0x7f, nil)
	if done || line != "" || len(echo) != 0 {
		t.Fatal("DEL on an empty line must do nothing")
	}
}

// FuzzEditor feeds arbitrary bytes: the editor never panics, every line it
// hands over is printable ASCII of at most 255 bytes, and its echo contains
// only printable ASCII, CR, LF and BS.
func FuzzEditor(f *testing.F) {
	f.Add([]byte("graphctl create\r\n"))
	f.Add([]byte("ab\x08c\r"))
	f.Add([]byte("foo\x03"))
	f.Add(bytes.Repeat([]byte("x"), 300))
	f.Add([]byte{0x00, 0x1b, 0x80, 0xff, '\t', 0x7f, '\n'})
	f.Fuzz(func(t *testing.T, in []byte) {
		var e Editor
		var echo []byte
		for _, b := range in {
			var line string
			var done bool
			echo, line, done = e.Feed(b, echo[:0])
			for _, c := range echo {
				if !(c >= 0x20 && c <= 0x7e) && c != '\r' && c != '\n' && c != 0x08 {
					t.Fatalf("echo byte 0x%02x", c)
				}
			}
			if done {
				if len(line) > MaxLine {
					t.Fatalf("line of %d bytes", len(line))
				}
				for i := 0; i < len(line); i++ {
					if line[i] < 0x20 || line[i] > 0x7e {
						t.Fatalf("line byte 0x%02x", line[i])
					}
				}
			}
		}
	})
}

// FuzzSession feeds arbitrary bytes through the whole console, one byte at
// a time on one machine and all at once on another. Oracle: a byte that does
// not end a line produces exactly its editor echo (the console never prints
// on its own); a line end (CR, LF, Ctrl-C) produces output ending in the
// prompt; and the chunking does not change the output.
func FuzzSession(f *testing.F) {
	f.Add([]byte("help\r\n"))
	f.Add([]byte("vclock advance 5\r\nmetricsctl off\n\x03\x08"))
	f.Add([]byte("ab\x08c\rfoo\x03   \r\x80\tmetricsctl status\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		one, all := newSession(t), newSession(t)
		var ed Editor
		var bytewise []byte
		for _, b := range in {
			out := one.Feed([]byte{b})
			echo, _, done := ed.Feed(b, nil)
			switch {
			case !done && string(out) != string(echo):
				t.Fatalf("byte 0x%02x: output %q, want only its echo %q", b, out, echo)
			case done && (!bytes.HasPrefix(out, echo) || !bytes.HasSuffix(out, []byte(Prompt))):
				t.Fatalf("line end 0x%02x: output %q, want echo %q ... prompt", b, out, echo)
			}
			bytewise = append(bytewise, out...)
		}
		if got := all.Feed(in); string(got) != string(bytewise) {
			t.Fatalf("all at once %q, byte by byte %q", got, bytewise)
		}
	})
}
