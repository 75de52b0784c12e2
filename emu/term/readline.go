package term

// Readline is a small line editor for people at a terminal in raw mode:
// insertion at the cursor, left/right arrows, Home/End, backspace, Ctrl-U,
// history on the up/down arrows, Ctrl-C to drop the line and Ctrl-D on an
// empty line to leave. It is a pure byte transducer: Feed returns what to
// write back to the terminal.
type Readline struct {
	Prompt string
	// Max, when positive, is the longest line: further characters are
	// dropped without echo, as the kernel's editor drops the 256th.
	Max     int
	line    []byte
	cursor  int
	history []string
	hpos    int // index into history while browsing; len(history) = new line
	saved   []byte
	esc     []byte // pending escape sequence
}

// Event is what a byte completed.
type Event int

// Events returned by Feed.
const (
	None  Event = iota
	Line        // a line was entered
	EOF         // Ctrl-D on an empty line
	Abort       // Ctrl-C
)

// MaxHistory is how many lines the history keeps.
const MaxHistory = 500

// Feed consumes one byte and returns the bytes to echo, the completed line
// (for Line) and the event.
func (r *Readline) Feed(b byte) (out []byte, line string, ev Event) {
	if len(r.esc) > 0 || b == 0x1b {
		r.esc = append(r.esc, b)
		return r.escape()
	}
	switch {
	case b == '\r' || b == '\n':
		line = string(r.line)
		if line != "" && (len(r.history) == 0 || r.history[len(r.history)-1] != line) {
			r.history = append(r.history, line)
			if len(r.history) > MaxHistory {
				r.history = r.history[1:]
			}
		}
		r.hpos = len(r.history)
		r.line, r.cursor = r.line[:0], 0
		return []byte("\r\n"), line, Line
	case b == 0x03:
		r.line, r.cursor, r.hpos = r.line[:0], 0, len(r.history)
		return []byte("^C\r\n"), "", Abort
	case b == 0x04:
		if len(r.line) == 0 {
			return []byte("\r\n"), "", EOF
		}
		return nil, "", None
	case b == 0x7f || b == 0x08:
		if r.cursor == 0 {
			return nil, "", None
		}
		r.line = append(r.line[:r.cursor-1], r.line[r.cursor:]...)
		r.cursor--
		return r.redraw(), "", None
	case b == 0x15: // Ctrl-U
		r.line, r.cursor = r.line[:0], 0
		return r.redraw(), "", None
	case b == 0x01: // Ctrl-A
		r.cursor = 0
		return r.redraw(), "", None
	case b == 0x05: // Ctrl-E
		r.cursor = len(r.line)
		return r.redraw(), "", None
	case b >= 0x20 && b < 0x7f:
		if r.Max > 0 && len(r.line) >= r.Max {
			return nil, "", None
		}
		r.line = append(r.line, 0)
		copy(r.line[r.cursor+1:], r.line[r.cursor:])
		r.line[r.cursor] = b
		r.cursor++
		return r.redraw(), "", None
	}
	return nil, "", None
}

// escape handles ESC [ A/B/C/D/H/F once complete.
func (r *Readline) escape() ([]byte, string, Event) {
	if len(r.esc) < 3 {
		if len(r.esc) == 2 && r.esc[1] != '[' && r.esc[1] != 'O' {
			r.esc = r.esc[:0]
		}
		return nil, "", None
	}
	code := r.esc[2]
	r.esc = r.esc[:0]
	switch code {
	case 'A': // up
		if r.hpos == 0 {
			return nil, "", None
		}
		if r.hpos == len(r.history) {
			r.saved = append(r.saved[:0], r.line...)
		}
		r.hpos--
		r.line = append(r.line[:0], r.history[r.hpos]...)
	case 'B': // down
		if r.hpos >= len(r.history) {
			return nil, "", None
		}
		r.hpos++
		if r.hpos == len(r.history) {
			r.line = append(r.line[:0], r.saved...)
		} else {
			r.line = append(r.line[:0], r.history[r.hpos]...)
		}
	case 'C':
		if r.cursor < len(r.line) {
			r.cursor++
		}
		return r.redraw(), "", None
	case 'D':
		if r.cursor > 0 {
			r.cursor--
		}
		return r.redraw(), "", None
	case 'H':
		r.cursor = 0
		return r.redraw(), "", None
	case 'F':
		r.cursor = len(r.line)
		return r.redraw(), "", None
	default:
		return nil, "", None
	}
	r.cursor = len(r.line)
	return r.redraw(), "", None
}

// redraw rewrites the whole line and puts the cursor back in place.
func (r *Readline) redraw() []byte {
	out := append([]byte("\r"), r.Prompt...)
	out = append(out, r.line...)
	out = append(out, "\x1b[K"...)
	if back := len(r.line) - r.cursor; back > 0 {
		out = append(out, '\x1b', '[')
		out = appendInt(out, back)
		out = append(out, 'D')
	}
	return out
}

func appendInt(b []byte, n int) []byte {
	if n >= 10 {
		b = appendInt(b, n/10)
	}
	return append(b, byte('0'+n%10))
}

// History returns the remembered lines, oldest first.
func (r *Readline) History() []string { return append([]string(nil), r.history...) }
