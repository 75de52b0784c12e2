// Package script reads and runs sisemu transcript files: the
// cockroachdb/datadriven format that phase tests are written in, so that the
// same files serve `go test` (with -rewrite) and the phase runner in the
// sisemu binary.
//
// A file is a sequence of cases. Each case is a directive line, optional
// input lines, a `----` separator and the exact expected output, which ends
// at the first blank line, or, when the separator is doubled (`----` twice),
// at the next doubled separator. Lines starting with `#` between cases are
// comments. The directives are documented on Runner.Do.
package script

import (
	"fmt"
	"strings"
)

// Case is one directive of a transcript file with its input and expected output.
type Case struct {
	// Pos is "file:line" of the directive, for messages.
	Pos string
	// Cmd is the directive name (`machine`, `run`, `console`, `boot`).
	Cmd string
	// Args are the directive's key=value arguments, in order.
	Args []Arg
	// Input is the text between the directive and the separator, trimmed.
	Input string
	// Expected is the output after the separator; non-empty output ends in LF.
	Expected string
}

// Arg is one `key` or `key=value` argument of a directive line.
type Arg struct {
	Key, Val string
}

// Parse splits a transcript into its cases, with the same rules as
// cockroachdb/datadriven's reader.
func Parse(name, text string) ([]Case, error) {
	lines := strings.Split(text, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	// datadriven reads lines with bufio.ScanLines, which drops a trailing
	// CR: a file checked out with CRLF line ends must read the same here.
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	var cases []Case
	i := 0
	for i < len(lines) {
		raw := strings.TrimSpace(lines[i])
		lineNo := i + 1
		i++
		if raw == "" || strings.HasPrefix(raw, "#") {
			continue
		}
		for strings.HasSuffix(raw, `\`) && i < len(lines) {
			raw = strings.TrimSuffix(raw, `\`) + " " + strings.TrimSpace(lines[i])
			i++
		}
		if raw = strings.TrimSpace(raw); raw == "" {
			continue
		}
		c := Case{Pos: fmt.Sprintf("%s:%d", name, lineNo)}
		// Split on spaces only, as datadriven's ParseLine does.
		cmd, rest, _ := strings.Cut(raw, " ")
		c.Cmd = cmd
		for _, f := range strings.Split(rest, " ") {
			if f == "" {
				continue
			}
			k, v, _ := strings.Cut(f, "=")
			// datadriven's `key=(v1,v2)` form: the first value.
			if p, ok := strings.CutPrefix(v, "("); ok {
				p, _, _ = strings.Cut(strings.TrimSuffix(p, ")"), ",")
				v = strings.TrimSpace(p)
			}
			c.Args = append(c.Args, Arg{Key: k, Val: v})
		}
		var in strings.Builder
		sep := false
		for i < len(lines) {
			l := lines[i]
			i++
			if l == "----" {
				sep = true
				break
			}
			in.WriteString(l)
			in.WriteByte('\n')
		}
		c.Input = strings.TrimSpace(in.String())
		if sep {
			var out strings.Builder
			if i < len(lines) && lines[i] == "----" {
				i++
				// Unclosed, the output runs to the end of the file, as
				// datadriven reads it (go test and sisemu phases agree).
				for i < len(lines) {
					l := lines[i]
					i++
					if l == "----" && i < len(lines) && lines[i] == "----" {
						i++
						if i < len(lines) && lines[i] != "" {
							return nil, fmt.Errorf("%s: non-blank line after the closing doubled separator", c.Pos)
						}
						break
					}
					out.WriteString(l)
					out.WriteByte('\n')
				}
			} else {
				for i < len(lines) && strings.TrimSpace(lines[i]) != "" {
					out.WriteString(lines[i])
					out.WriteByte('\n')
					i++
				}
			}
			c.Expected = out.String()
		}
		cases = append(cases, c)
	}
	return cases, nil
}

// Arg returns the value of the first argument named key.
func (c Case) Arg(key string) (string, bool) {
	for _, a := range c.Args {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}
