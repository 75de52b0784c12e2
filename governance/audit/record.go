package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// HashHexLen is the length of a SHA-256 digest in hex.
const HashHexLen = 64

// Genesis is the prev hash of the first record of a journal.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Field is one event-specific key/value of a record, kept in the order the
// event gave it. Value is a string, a uint64, an int64 or a bool.
type Field struct {
	Key   string
	Value any
}

// Event is what a caller appends: a kind (load, budget, infer, stream,
// register, swap, rollback, reject, …), the virtual time it happened at, and
// its fields in a fixed order.
type Event struct {
	Kind   string
	TsNs   uint64
	Fields []Field
}

// Record is one line of a journal: an Event with its sequence number (1 for
// the first record), the hash of the previous record and its own hash.
type Record struct {
	Seq    uint64
	TsNs   uint64
	Kind   string
	Fields []Field
	// Prev is the hex SHA-256 of the previous record (its Hash), Genesis for
	// the first record.
	Prev string
	// Hash is the hex SHA-256 of this record's line up to, not including,
	// the `,"hash":` member: every byte of the record except the hash
	// itself, prev included, so the chain runs through every byte.
	Hash string
}

// Sentinel errors of record parsing.
var (
	// ErrMalformed is a line that is not a canonical journal record.
	ErrMalformed = errors.New("audit: malformed record")
)

// reserved are the member names a Field may not use.
var reserved = map[string]bool{"seq": true, "ts_ns": true, "event": true, "prev": true, "hash": true}

// validKey reports whether k is a field name: [a-z0-9_]+ and not reserved.
func validKey(k string) bool {
	if k == "" || reserved[k] {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// appendPrefix writes the record's line up to the hash member: the bytes the
// record hash covers.
func appendPrefix(b []byte, seq, tsNs uint64, kind string, fields []Field, prev string) ([]byte, error) {
	b = append(b, `{"seq":`...)
	b = strconv.AppendUint(b, seq, 10)
	b = append(b, `,"ts_ns":`...)
	b = strconv.AppendUint(b, tsNs, 10)
	b = append(b, `,"event":`...)
	b = appendString(b, kind)
	for _, f := range fields {
		if !validKey(f.Key) {
			return nil, fmt.Errorf("%w: field name %q", ErrMalformed, f.Key)
		}
		b = append(b, ',', '"')
		b = append(b, f.Key...)
		b = append(b, '"', ':')
		switch v := f.Value.(type) {
		case string:
			b = appendString(b, v)
		case uint64:
			b = strconv.AppendUint(b, v, 10)
		case int64:
			b = strconv.AppendInt(b, v, 10)
		case bool:
			b = strconv.AppendBool(b, v)
		default:
			return nil, fmt.Errorf("%w: field %s has type %T", ErrMalformed, f.Key, f.Value)
		}
	}
	b = append(b, `,"prev":"`...)
	b = append(b, prev...)
	b = append(b, '"')
	return b, nil
}

// encode returns the record's full line (without LF) and its hash.
func encode(seq, tsNs uint64, kind string, fields []Field, prev string) ([]byte, string, error) {
	b, err := appendPrefix(make([]byte, 0, 256), seq, tsNs, kind, fields, prev)
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(b)
	h := hex.EncodeToString(sum[:])
	b = append(b, `,"hash":"`...)
	b = append(b, h...)
	b = append(b, '"', '}')
	return b, h, nil
}

// appendString writes s as a JSON string in the journal's canonical form:
// printable ASCII as is (except `"` and `\`), everything else as \uXXXX
// (UTF-16, surrogate pairs above U+FFFF), invalid UTF-8 as \ufffd. Only
// ASCII reaches the file, and decoding then re-encoding gives the same bytes.
func appendString(b []byte, s string) []byte {
	const hexd = "0123456789abcdef"
	u := func(b []byte, r rune) []byte {
		return append(b, '\\', 'u', hexd[r>>12&0xF], hexd[r>>8&0xF], hexd[r>>4&0xF], hexd[r&0xF])
	}
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7F {
			if c == '"' || c == '\\' {
				b = append(b, '\\')
			}
			b = append(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r >= 0x10000 {
			r -= 0x10000
			b = u(b, 0xD800+(r>>10))
			b = u(b, 0xDC00+(r&0x3FF))
			continue
		}
		b = u(b, r)
	}
	return append(b, '"')
}

// ParseLine parses one journal line (without its LF) and checks that it is
// canonical and that its hash matches its bytes. It does not check the chain
// (seq and prev against the previous record): Verify does.
func ParseLine(line []byte) (Record, error) {
	p := parser{b: line}
	r, err := p.record()
	if err != nil {
		return Record{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	canon, h, err := encode(r.Seq, r.TsNs, r.Kind, r.Fields, r.Prev)
	if err != nil {
		return Record{}, err
	}
	if !bytes.Equal(canon, line) {
		n := len(canon) - HashHexLen - 2 // up to and including `,"hash":"`
		if len(canon) == len(line) && bytes.Equal(canon[:n], line[:n]) {
			return Record{}, fmt.Errorf("%w: hash %s does not match the record (content altered: want %s)", ErrMalformed, r.Hash, h)
		}
		return Record{}, fmt.Errorf("%w: not in canonical form", ErrMalformed)
	}
	return r, nil
}

// parser reads one record: a flat JSON object of scalars. It accepts any
// valid JSON spelling of the members it knows; ParseLine then insists on
// the canonical bytes by re-encoding.
type parser struct {
	b []byte
	i int
}

var errSyntax = errors.New("syntax error")

func (p *parser) lit(s string) error {
	if !bytes.HasPrefix(p.b[p.i:], []byte(s)) {
		return fmt.Errorf("%w at byte %d: want %s", errSyntax, p.i, s)
	}
	p.i += len(s)
	return nil
}

func (p *parser) record() (Record, error) {
	var r Record
	var err error
	if err = p.lit(`{"seq":`); err != nil {
		return r, err
	}
	if r.Seq, err = p.uint(); err != nil {
		return r, err
	}
	if err = p.lit(`,"ts_ns":`); err != nil {
		return r, err
	}
	if r.TsNs, err = p.uint(); err != nil {
		return r, err
	}
	if err = p.lit(`,"event":`); err != nil {
		return r, err
	}
	if r.Kind, err = p.str(); err != nil {
		return r, err
	}
	for {
		if err = p.lit(","); err != nil {
			return r, err
		}
		key, err := p.str()
		if err != nil {
			return r, err
		}
		if err = p.lit(":"); err != nil {
			return r, err
		}
		if key == "prev" {
			break
		}
		if !validKey(key) {
			return r, fmt.Errorf("field name %q", key)
		}
		v, err := p.scalar()
		if err != nil {
			return r, err
		}
		r.Fields = append(r.Fields, Field{Key: key, Value: v})
	}
	if r.Prev, err = p.str(); err != nil {
		return r, err
	}
	if err = p.lit(`,"hash":`); err != nil {
		return r, err
	}
	if r.Hash, err = p.str(); err != nil {
		return r, err
	}
	if err = p.lit("}"); err != nil {
		return r, err
	}
	if p.i != len(p.b) {
		return r, fmt.Errorf("%w: data after the record at byte %d", errSyntax, p.i)
	}
	if !isHex(r.Prev) || !isHex(r.Hash) {
		return r, fmt.Errorf("prev and hash must be %d lower-case hex digits", HashHexLen)
	}
	return r, nil
}

// uint reads an unsigned decimal.
func (p *parser) uint() (uint64, error) {
	j := p.i
	for j < len(p.b) && p.b[j] >= '0' && p.b[j] <= '9' {
		j++
	}
	v, err := strconv.ParseUint(string(p.b[p.i:j]), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w at byte %d: not an unsigned integer", errSyntax, p.i)
	}
	p.i = j
	return v, nil
}

// scalar reads a field value: string, integer (uint64, else int64) or bool.
func (p *parser) scalar() (any, error) {
	if p.i >= len(p.b) {
		return nil, fmt.Errorf("%w: value missing", errSyntax)
	}
	switch c := p.b[p.i]; {
	case c == '"':
		return p.str()
	case c == 't':
		return true, p.lit("true")
	case c == 'f':
		return false, p.lit("false")
	case c == '-':
		p.i++
		u, err := p.uint()
		if err != nil || u > 1<<63 {
			return nil, fmt.Errorf("%w: bad negative integer", errSyntax)
		}
		return -int64(u-1) - 1, nil
	default:
		return p.uint()
	}
}

// str reads a JSON string with any valid escapes.
func (p *parser) str() (string, error) {
	if err := p.lit(`"`); err != nil {
		return "", err
	}
	var out []byte
	for {
		if p.i >= len(p.b) {
			return "", fmt.Errorf("%w: unterminated string", errSyntax)
		}
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			if !utf8.Valid(out) {
				out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
			}
			return string(out), nil
		case c < 0x20:
			return "", fmt.Errorf("%w: control byte in string at %d", errSyntax, p.i)
		case c != '\\':
			out = append(out, c)
			p.i++
			continue
		}
		p.i++
		if p.i >= len(p.b) {
			return "", fmt.Errorf("%w: unterminated escape", errSyntax)
		}
		e := p.b[p.i]
		p.i++
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, err := p.hex4()
			if err != nil {
				return "", err
			}
			if utf16.IsSurrogate(r) && bytes.HasPrefix(p.b[p.i:], []byte(`\u`)) {
				save := p.i
				p.i += 2
				r2, err := p.hex4()
				if err == nil && utf16.DecodeRune(r, r2) != utf8.RuneError {
					r = utf16.DecodeRune(r, r2)
				} else {
					p.i = save
					r = utf8.RuneError
				}
			} else if utf16.IsSurrogate(r) {
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", fmt.Errorf("%w: bad escape \\%c", errSyntax, e)
		}
	}
}

func (p *parser) hex4() (rune, error) {
	if p.i+4 > len(p.b) {
		return 0, fmt.Errorf("%w: short \\u escape", errSyntax)
	}
	v, err := strconv.ParseUint(string(p.b[p.i:p.i+4]), 16, 32)
	if err != nil {
		return 0, fmt.Errorf("%w: bad \\u escape", errSyntax)
	}
	p.i += 4
	return rune(v), nil
}

// isHex reports whether s is HashHexLen lower-case hex digits.
func isHex(s string) bool {
	if len(s) != HashHexLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
