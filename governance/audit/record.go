package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
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
// (seq and prev against the previous record): Reader does.
func ParseLine(line []byte) (Record, error) {
	var r Record
	d := json.NewDecoder(bytes.NewReader(line))
	d.UseNumber()
	tok := func() (json.Token, error) {
		t, err := d.Token()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		return t, nil
	}
	bad := func(format string, args ...any) (Record, error) {
		return Record{}, fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
	}
	t, err := tok()
	if err != nil {
		return Record{}, err
	}
	if t != json.Delim('{') {
		return bad("not an object")
	}
	expectKey := func(want string) error {
		k, err := tok()
		if err != nil {
			return err
		}
		if k != want {
			return fmt.Errorf("%w: member %v where %q belongs", ErrMalformed, k, want)
		}
		return nil
	}
	uintVal := func() (uint64, error) {
		v, err := tok()
		if err != nil {
			return 0, err
		}
		n, ok := v.(json.Number)
		if !ok {
			return 0, fmt.Errorf("%w: %v is not a number", ErrMalformed, v)
		}
		u, err := strconv.ParseUint(string(n), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		return u, nil
	}
	strVal := func() (string, error) {
		v, err := tok()
		if err != nil {
			return "", err
		}
		s, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("%w: %v is not a string", ErrMalformed, v)
		}
		return s, nil
	}
	if err := expectKey("seq"); err != nil {
		return Record{}, err
	}
	if r.Seq, err = uintVal(); err != nil {
		return Record{}, err
	}
	if err := expectKey("ts_ns"); err != nil {
		return Record{}, err
	}
	if r.TsNs, err = uintVal(); err != nil {
		return Record{}, err
	}
	if err := expectKey("event"); err != nil {
		return Record{}, err
	}
	if r.Kind, err = strVal(); err != nil {
		return Record{}, err
	}
	for {
		k, err := tok()
		if err != nil {
			return Record{}, err
		}
		key, ok := k.(string)
		if !ok {
			return bad("unexpected %v", k)
		}
		if key == "prev" {
			break
		}
		if !validKey(key) {
			return bad("field name %q", key)
		}
		v, err := tok()
		if err != nil {
			return Record{}, err
		}
		switch v := v.(type) {
		case string, bool:
			r.Fields = append(r.Fields, Field{Key: key, Value: v})
		case json.Number:
			if u, err := strconv.ParseUint(string(v), 10, 64); err == nil {
				r.Fields = append(r.Fields, Field{Key: key, Value: u})
			} else if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
				r.Fields = append(r.Fields, Field{Key: key, Value: i})
			} else {
				return bad("field %s: %v is not an integer", key, v)
			}
		default:
			return bad("field %s has a non-scalar value", key)
		}
	}
	if r.Prev, err = strVal(); err != nil {
		return Record{}, err
	}
	if err := expectKey("hash"); err != nil {
		return Record{}, err
	}
	if r.Hash, err = strVal(); err != nil {
		return Record{}, err
	}
	if t, err := tok(); err != nil || t != json.Delim('}') {
		return bad("record does not end after hash")
	}
	if !isHex(r.Prev) || !isHex(r.Hash) {
		return bad("prev and hash must be %d lower-case hex digits", HashHexLen)
	}
	canon, h, err := encode(r.Seq, r.TsNs, r.Kind, r.Fields, r.Prev)
	if err != nil {
		return Record{}, err
	}
	if !bytes.Equal(canon, line) {
		if bytes.Equal(canon[:len(canon)-HashHexLen-2], line[:min(len(line), len(canon)-HashHexLen-2)]) && len(canon) == len(line) {
			return bad("hash %s does not match the record (content altered: want %s)", r.Hash, h)
		}
		return bad("not in canonical form")
	}
	return r, nil
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
