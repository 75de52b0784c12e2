package script

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sisemu/sisemu/emu"
	"github.com/sisemu/sisemu/emu/console"
)

// Runner executes transcript directives against a machine it owns.
type Runner struct {
	opts emu.Options
	m    *emu.Machine
	con  *console.Session
}

// NewRunner returns a runner whose machines are built with opts (the
// `machine` directive overrides the seed). The first directive that needs a
// machine gets a fresh one with opts as given.
func NewRunner(opts emu.Options) *Runner { return &Runner{opts: opts} }

// Machine returns the current machine, building it if needed.
func (r *Runner) Machine() (*emu.Machine, error) {
	if r.m == nil {
		if err := r.reset(r.opts); err != nil {
			return nil, err
		}
	}
	return r.m, nil
}

// Close releases the current machine.
func (r *Runner) Close() error {
	if r.m == nil {
		return nil
	}
	err := r.m.Close()
	r.m, r.con = nil, nil
	return err
}

func (r *Runner) reset(opts emu.Options) error {
	if err := r.Close(); err != nil {
		return err
	}
	m, err := emu.New(opts)
	if err != nil {
		return err
	}
	r.m, r.con = m, console.NewSession(m)
	return nil
}

// Do runs one directive and returns its output:
//
//   - `machine [seed=N]`: a fresh machine; no output.
//   - `run`: each input line is executed as a shell command; the output is
//     `sis> <line>` followed by the command's exact output, for every line.
//   - `boot`: the boot transcript (before the first prompt).
//   - `console`: the input is a byte stream fed to the console's line
//     editor, written as Go-style escapes (\r \n \x03 \x08 \\) with real line
//     breaks ignored; the output is the raw console output with the same
//     escapes and a line break after every \n.
func (r *Runner) Do(c Case) (string, error) {
	switch c.Cmd {
	case "machine":
		opts := r.opts
		if v, ok := c.Arg("seed"); ok {
			seed, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return "", fmt.Errorf("%s: bad seed %q", c.Pos, v)
			}
			opts.Seed = seed
		}
		return "", r.reset(opts)
	case "run":
		m, err := r.Machine()
		if err != nil {
			return "", err
		}
		var b strings.Builder
		for _, line := range strings.Split(c.Input, "\n") {
			res := m.Exec(line)
			b.WriteString(console.Prompt)
			b.WriteString(line)
			b.WriteByte('\n')
			b.WriteString(res.Output)
		}
		return b.String(), nil
	case "boot":
		m, err := r.Machine()
		if err != nil {
			return "", err
		}
		return m.Boot(), nil
	case "console":
		if _, err := r.Machine(); err != nil {
			return "", err
		}
		in, err := Unescape(strings.ReplaceAll(c.Input, "\n", ""))
		if err != nil {
			return "", fmt.Errorf("%s: %w", c.Pos, err)
		}
		return Escape(r.con.Feed(in)), nil
	}
	return "", fmt.Errorf("%s: unknown directive %q", c.Pos, c.Cmd)
}

// Unescape decodes the console directive's input notation.
func Unescape(s string) ([]byte, error) {
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			out = append(out, s[i])
			continue
		}
		if i+1 >= len(s) {
			return nil, fmt.Errorf("trailing backslash")
		}
		i++
		switch s[i] {
		case 'r':
			out = append(out, '\r')
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 's':
			out = append(out, ' ')
		case '\\':
			out = append(out, '\\')
		case 'x':
			if i+2 >= len(s) {
				return nil, fmt.Errorf("short \\x escape")
			}
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return nil, fmt.Errorf("bad \\x escape %q", s[i-1:i+3])
			}
			out = append(out, byte(v))
			i += 2
		default:
			return nil, fmt.Errorf("unknown escape \\%c", s[i])
		}
	}
	return out, nil
}

// Escape renders console output readably: printable ASCII as is, \r, \n
// (followed by a real line break), \\ and \xNN for everything else.
func Escape(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		switch {
		case c == '\n':
			s.WriteString("\\n\n")
		case c == '\r':
			s.WriteString(`\r`)
		case c == '\\':
			s.WriteString(`\\`)
		case c >= 0x20 && c <= 0x7E:
			s.WriteByte(c)
		default:
			fmt.Fprintf(&s, `\x%02x`, c)
		}
	}
	return s.String()
}
