// Package console serves a Machine as the SIS kernel's serial console: the
// boot transcript, the `sis> ` prompt and the kernel's line editor
// (console.md §2–§4), over any byte stream — stdin/stdout, a pipe, a
// pseudo-terminal. It writes only while handling input: each line's echo,
// output and next prompt go out as one burst, so the kernel's test drivers
// work against it unchanged (console.md §9).
package console

// MaxLine is the longest line the editor accepts (255 characters; the
// kernel's buffer is 256 bytes with room for a terminator).
const MaxLine = 255

// Prompt is the 5-byte prompt printed before every line read.
const Prompt = "sis> "

// Editor is the kernel's line editor as a state machine: it consumes input
// bytes one at a time, produces their echo and hands over complete lines.
// The zero value is an empty line.
type Editor struct {
	buf [MaxLine]byte
	n   int
}

// Feed consumes one input byte. It appends the byte's echo to echo and
// returns the extended slice; when the byte ends a line (CR, LF or Ctrl-C)
// it also returns the line and true. Ctrl-C discards the line and returns an
// empty one.
func (e *Editor) Feed(b byte, echo []byte) ([]byte, string, bool) {
	switch {
	case b >= 0x20 && b <= 0x7E:
		if e.n < MaxLine {
			e.buf[e.n] = b
			e.n++
			echo = append(echo, b)
		}
	case b == '\r' || b == '\n':
		line := string(e.buf[:e.n])
		e.n = 0
		return append(echo, '\r', '\n'), line, true
	case b == 0x08 || b == 0x7F:
		if e.n > 0 {
			e.n--
			echo = append(echo, 0x08, ' ', 0x08)
		}
	case b == 0x03:
		e.n = 0
		return append(echo, '^', 'C', '\r', '\n'), "", true
	}
	// Every other byte (controls, TAB, 0x80-0xFF) is ignored without echo.
	return echo, "", false
}

// Pending returns the characters typed so far on the current line.
func (e *Editor) Pending() string { return string(e.buf[:e.n]) }
