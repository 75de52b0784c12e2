package term

import "testing"

func feed(r *Readline, s string) (lines []string, last Event) {
	for i := 0; i < len(s); i++ {
		_, line, ev := r.Feed(s[i])
		if ev == Line {
			lines = append(lines, line)
		}
		if ev != None {
			last = ev
		}
	}
	return lines, last
}

func TestReadlineEditingAndHistory(t *testing.T) {
	r := &Readline{Prompt: "sis> "}
	lines, _ := feed(r, "vclcok\x7f\x7f\x7fock\r")
	if len(lines) != 1 || lines[0] != "vclock" {
		t.Fatalf("lines %q", lines)
	}
	// Cursor movement: type "hep", left, insert 'l' before 'p'.
	lines, _ = feed(r, "hep\x1b[Dl\r")
	if lines[0] != "help" {
		t.Fatalf("insert at cursor: %q", lines[0])
	}
	// Up twice recalls the older line; down once the newer one.
	lines, _ = feed(r, "\x1b[A\x1b[A\x1b[B\r")
	if lines[0] != "help" {
		t.Fatalf("history: %q", lines[0])
	}
	if h := r.History(); len(h) != 2 || h[0] != "vclock" || h[1] != "help" {
		t.Fatalf("history %q (duplicates are not repeated)", h)
	}
	// Ctrl-U clears, Ctrl-C aborts, Ctrl-D on an empty line ends.
	lines, ev := feed(r, "junk\x15ok\r")
	if lines[0] != "ok" || ev != Line {
		t.Fatalf("ctrl-u: %q", lines)
	}
	if _, ev = feed(r, "abc\x03"); ev != Abort {
		t.Fatal("ctrl-c")
	}
	if _, ev = feed(r, "x\x04"); ev != None {
		t.Fatal("ctrl-d on a non-empty line must not end the session")
	}
	if _, ev = feed(r, "\x7f\x04"); ev != EOF {
		t.Fatal("ctrl-d on an empty line")
	}
}

func TestReadlineRedraw(t *testing.T) {
	r := &Readline{Prompt: "> "}
	feed(r, "abc")
	out, _, _ := r.Feed(0x1b)
	if out != nil {
		t.Fatal("partial escape echoed")
	}
	r.Feed('[')
	out, _, _ = r.Feed('D')
	if string(out) != "\r> abc\x1b[K\x1b[1D" {
		t.Fatalf("redraw %q", out)
	}
}

func FuzzReadline(f *testing.F) {
	f.Add([]byte("abc\x1b[A\x1b[D\x7f\r\x03\x04"))
	f.Fuzz(func(t *testing.T, in []byte) {
		r := &Readline{Prompt: "$ "}
		for _, b := range in {
			r.Feed(b)
			if r.cursor < 0 || r.cursor > len(r.line) {
				t.Fatalf("cursor %d outside line of %d", r.cursor, len(r.line))
			}
		}
	})
}

// TestReadlineMax: with Max set, characters beyond it are dropped without
// echo, wherever the cursor is, as the kernel's editor drops the 256th
// (console.md §3); deleting one makes room again.
func TestReadlineMax(t *testing.T) {
	r := &Readline{Prompt: "> ", Max: 4}
	feed(r, "abcd")
	if out, _, _ := r.Feed('e'); out != nil {
		t.Fatalf("echo %q for a dropped character", out)
	}
	feed(r, "\x1b[D") // cursor left: an insertion in the middle is dropped too
	r.Feed('x')
	feed(r, "\x1b[C\x7fz")
	lines, _ := feed(r, "\r")
	if len(lines) != 1 || lines[0] != "abcz" {
		t.Fatalf("lines %q, want [abcz]", lines)
	}
}
