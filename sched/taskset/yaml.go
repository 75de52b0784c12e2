package taskset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// ParseYAML parses the small YAML subset a task set needs: block mappings
// ("key: value", "key:" followed by an indented block), block sequences
// ("- item", "- key: value" starting a mapping), flow sequences of
// scalars ("[1, 2, 3]"), plain, single- and double-quoted scalars, and
// comments. Anchors, tags, multi-documents, block scalars and flow
// mappings are not supported and are reported as errors. The result is a
// tree of map[string]any, []any and scalars (json.Number for unsigned
// decimals, string otherwise).
func ParseYAML(data []byte) (any, error) {
	p := &yparser{}
	for i, raw := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
		if strings.ContainsRune(raw, '\t') {
			return nil, yerr(i+1, "tab characters are not allowed in indentation")
		}
		s := stripComment(raw)
		if strings.TrimSpace(s) == "" {
			continue
		}
		if strings.TrimSpace(s) == "---" && len(p.lines) == 0 {
			continue
		}
		ind := len(s) - len(strings.TrimLeft(s, " "))
		p.lines = append(p.lines, yline{n: i + 1, indent: ind, text: strings.TrimRight(s[ind:], " ")})
	}
	if len(p.lines) == 0 {
		return nil, fmt.Errorf("%w: empty YAML document", ErrInvalid)
	}
	v, err := p.block(p.lines[0].indent, 0)
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.lines) {
		return nil, yerr(p.lines[p.pos].n, "unexpected indentation")
	}
	return v, nil
}

type yline struct {
	n      int
	indent int
	text   string
}

type yparser struct {
	lines []yline
	pos   int
}

const maxYAMLDepth = 32

func yerr(line int, msg string) error {
	return fmt.Errorf("%w: YAML line %d: %s", ErrInvalid, line, msg)
}

// stripComment removes a '#' comment that starts the line or follows a
// blank, outside quotes.
func stripComment(s string) string {
	var q byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '\'' || c == '"':
			q = c
		case c == '#' && (i == 0 || s[i-1] == ' '):
			return s[:i]
		}
	}
	return s
}

// block parses the lines at exactly indent, as a sequence or a mapping.
func (p *yparser) block(indent, depth int) (any, error) {
	if depth > maxYAMLDepth {
		return nil, yerr(p.lines[p.pos].n, "nesting too deep")
	}
	l := p.lines[p.pos]
	if l.text == "-" || strings.HasPrefix(l.text, "- ") {
		return p.sequence(indent, depth)
	}
	return p.mapping(indent, depth)
}

func (p *yparser) sequence(indent, depth int) (any, error) {
	out := []any{}
	for p.pos < len(p.lines) {
		l := p.lines[p.pos]
		if l.indent < indent {
			break
		}
		if l.indent > indent {
			return nil, yerr(l.n, "unexpected indentation")
		}
		if l.text != "-" && !strings.HasPrefix(l.text, "- ") {
			return nil, yerr(l.n, "expected a sequence item \"- \"")
		}
		rest := strings.TrimLeft(strings.TrimPrefix(l.text, "-"), " ")
		if rest == "" {
			// "-" alone: the item is the following, deeper block.
			p.pos++
			if p.pos >= len(p.lines) || p.lines[p.pos].indent <= indent {
				out = append(out, nil)
				continue
			}
			v, err := p.block(p.lines[p.pos].indent, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			continue
		}
		if _, _, ok := splitKey(rest); ok {
			// "- key: value": a mapping whose lines sit at the item's column.
			col := indent + (len(l.text) - len(rest))
			p.lines[p.pos] = yline{n: l.n, indent: col, text: rest}
			v, err := p.mapping(col, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			continue
		}
		v, err := scalarOrFlow(rest, l.n)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		p.pos++
	}
	return out, nil
}

func (p *yparser) mapping(indent, depth int) (any, error) {
	out := map[string]any{}
	for p.pos < len(p.lines) {
		l := p.lines[p.pos]
		if l.indent < indent {
			break
		}
		if l.indent > indent {
			return nil, yerr(l.n, "unexpected indentation")
		}
		k, v, ok := splitKey(l.text)
		if !ok {
			return nil, yerr(l.n, "expected \"key: value\"")
		}
		if _, dup := out[k]; dup {
			return nil, yerr(l.n, "duplicate key "+strconv.Quote(k))
		}
		p.pos++
		if v != "" {
			x, err := scalarOrFlow(v, l.n)
			if err != nil {
				return nil, err
			}
			out[k] = x
			continue
		}
		if p.pos < len(p.lines) && (p.lines[p.pos].indent > indent ||
			(p.lines[p.pos].indent == indent && strings.HasPrefix(p.lines[p.pos].text, "- "))) {
			x, err := p.block(p.lines[p.pos].indent, depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = x
			continue
		}
		out[k] = nil
	}
	return out, nil
}

// splitKey splits "key: value" / "key:"; the key is plain or quoted.
func splitKey(s string) (key, val string, ok bool) {
	if s == "" || s[0] == '[' || s[0] == '{' || s[0] == '-' {
		return "", "", false
	}
	if s[0] == '"' || s[0] == '\'' {
		end := strings.IndexByte(s[1:], s[0])
		if end < 0 {
			return "", "", false
		}
		rest := s[end+2:]
		if rest != ":" && !strings.HasPrefix(rest, ": ") {
			return "", "", false
		}
		return s[1 : end+1], strings.TrimSpace(strings.TrimPrefix(rest, ":")), true
	}
	i := strings.Index(s, ": ")
	if i < 0 {
		if strings.HasSuffix(s, ":") {
			return strings.TrimSpace(s[:len(s)-1]), "", true
		}
		return "", "", false
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+2:]), true
}

func scalarOrFlow(s string, line int) (any, error) {
	if strings.HasPrefix(s, "[") {
		if !strings.HasSuffix(s, "]") {
			return nil, yerr(line, "unterminated flow sequence")
		}
		inner := strings.TrimSpace(s[1 : len(s)-1])
		out := []any{}
		if inner == "" {
			return out, nil
		}
		for _, part := range strings.Split(inner, ",") {
			part = strings.TrimSpace(part)
			if part == "" || strings.ContainsAny(part, "[]{}") {
				return nil, yerr(line, "only flat flow sequences of scalars are supported")
			}
			v, err := scalar(part, line)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	if strings.HasPrefix(s, "{") || strings.HasPrefix(s, "&") || strings.HasPrefix(s, "*") ||
		strings.HasPrefix(s, "!") || s == "|" || s == ">" {
		return nil, yerr(line, "unsupported YAML construct "+strconv.Quote(s))
	}
	return scalar(s, line)
}

func scalar(s string, line int) (any, error) {
	switch {
	case len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"':
		v, err := strconv.Unquote(s)
		if err != nil {
			return nil, yerr(line, "bad double-quoted string")
		}
		return v, nil
	case len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'':
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'"), nil
	case s[0] == '"' || s[0] == '\'':
		return nil, yerr(line, "unterminated quoted string")
	}
	if s == "~" || s == "null" {
		return nil, nil
	}
	if _, err := strconv.ParseUint(strings.ReplaceAll(s, "_", ""), 10, 64); err == nil {
		return json.Number(strings.ReplaceAll(s, "_", "")), nil
	}
	return s, nil
}

// fromTree decodes a parsed YAML tree into ts with the JSON decoder's
// strictness (unknown keys and wrong types are errors).
func fromTree(v any, ts *TaskSet) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(ts); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return nil
}
