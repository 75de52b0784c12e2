package console

import (
	"errors"
	"io"

	"github.com/sisemu/sisemu/emu"
)

// Session is one console attached to a machine: a line editor in front of
// the machine's shell. It is a pure transducer from input bytes to output
// bytes; Serve runs it over a stream.
type Session struct {
	m   *emu.Machine
	ed  Editor
	out []byte
	// OnLine, if set, is called after each dispatched line with its result
	// (used by the phase runner and tracing; it must not write output).
	OnLine func(line string, r emu.Result)
}

// NewSession attaches a console to m.
func NewSession(m *emu.Machine) *Session { return &Session{m: m} }

// Boot returns the boot transcript followed by the first prompt.
func (s *Session) Boot() []byte {
	return append([]byte(s.m.Boot()), Prompt...)
}

// Feed consumes input bytes and returns everything the console prints in
// response: echo, command output and prompts, in order. The returned slice
// is valid until the next call.
func (s *Session) Feed(in []byte) []byte {
	s.out = s.out[:0]
	for _, b := range in {
		s.out = s.feedByte(b, s.out)
	}
	return s.out
}

// feedByte runs one input byte through the editor and, at a line end,
// through the machine, appending what the console prints to out.
func (s *Session) feedByte(b byte, out []byte) []byte {
	out, line, done := s.ed.Feed(b, out)
	if !done {
		return out
	}
	r := s.m.Exec(line)
	out = append(out, r.Output...)
	out = append(out, Prompt...)
	if s.OnLine != nil && !r.Empty {
		s.OnLine(line, r)
	}
	return out
}

// Serve prints the boot transcript and prompt to w, then reads r until end
// of input, answering every line at once: the echo, output and next prompt
// of each line are written in one burst as soon as the line completes. A
// partial line at end of input is discarded. It returns nil at end of input.
func (s *Session) Serve(r io.Reader, w io.Writer) error {
	if _, err := w.Write(s.Boot()); err != nil {
		return err
	}
	buf := make([]byte, 4096)
	var out []byte
	for {
		n, err := r.Read(buf)
		out = out[:0]
		for _, b := range buf[:n] {
			out = s.feedByte(b, out)
			if b == '\r' || b == '\n' || b == 0x03 {
				// Flush at every line end: a driver waits for the prompt
				// before it sends the next line.
				if _, werr := w.Write(out); werr != nil {
					return werr
				}
				out = out[:0]
			}
		}
		if len(out) > 0 {
			if _, werr := w.Write(out); werr != nil {
				return werr
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}
