// Package frame decodes AgentSys protocol frames: the opcode byte, the
// 64-bit token that names the calling agent, and the little-endian payload
// of each of the 14 opcodes (agentsys.md §2.1, §2.2). Decoding is pure: it
// never consults the policy or touches any state, so a malformed frame is
// rejected (BadFrame) before anything else looks at it.
package frame

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Opcode is the first byte of a frame.
type Opcode uint8

// The 14 supported opcodes (0x30–0x3D).
const (
	FsList      Opcode = 0x30
	FsRead      Opcode = 0x31
	FsWrite     Opcode = 0x32
	FsStat      Opcode = 0x33
	FsCreate    Opcode = 0x34
	FsDelete    Opcode = 0x35
	AudioPlay   Opcode = 0x36
	AudioStop   Opcode = 0x37
	AudioVolume Opcode = 0x38
	DocNew      Opcode = 0x39
	DocEdit     Opcode = 0x3A
	DocSave     Opcode = 0x3B
	Screenshot  Opcode = 0x3C
	AudioRecord Opcode = 0x3D
)

// First and Last bound the supported opcode range.
const (
	First = FsList
	Last  = AudioRecord
)

var names = [...]string{
	"FS_LIST", "FS_READ", "FS_WRITE", "FS_STAT", "FS_CREATE", "FS_DELETE",
	"AUDIO_PLAY", "AUDIO_STOP", "AUDIO_VOLUME", "DOC_NEW", "DOC_EDIT", "DOC_SAVE",
	"SCREENSHOT", "AUDIO_RECORD",
}

var metricNames = [...]string{
	"fs_list", "fs_read", "fs_write", "fs_stat", "fs_create", "fs_delete",
	"audio_play", "audio_stop", "audio_volume", "doc_new", "doc_edit", "doc_save",
	"screenshot", "audio_record",
}

// Supported reports whether op is one of the 14 opcodes.
func (op Opcode) Supported() bool { return op >= First && op <= Last }

// String is the kernel's upper-case opcode name (`FS_LIST`), or `0xHH` for
// an unsupported opcode.
func (op Opcode) String() string {
	if !op.Supported() {
		return fmt.Sprintf("0x%02X", uint8(op))
	}
	return names[op-First]
}

// MetricName is the lower-case suffix of the per-opcode metric
// (`agentsys_fs_list`); empty for an unsupported opcode.
func (op Opcode) MetricName() string {
	if !op.Supported() {
		return ""
	}
	return metricNames[op-First]
}

// Capability is one right an agent may hold. Values are bits so that a set
// of capabilities is a Caps mask.
type Capability uint16

// The capabilities of agentsys.md §2.4 and §5.4, in their listing order.
const (
	FsBasic Capability = 1 << iota
	AudioControl
	DocBasic
	Capture
	CapScreenshot
	Admin
	NetClient
	NetServer
)

// allCapabilities lists every capability in its canonical order.
var allCapabilities = [...]Capability{FsBasic, AudioControl, DocBasic, Capture, CapScreenshot, Admin, NetClient, NetServer}

// Capabilities returns every capability in its canonical order (the
// order `agentsys spawn`'s usage lists them).
func Capabilities() [8]Capability { return allCapabilities }

var capNames = [...]string{"FsBasic", "AudioControl", "DocBasic", "Capture", "Screenshot", "Admin", "NetClient", "NetServer"}

// String returns the capability's name as the shell spells it.
func (c Capability) String() string {
	for i, v := range allCapabilities {
		if v == c {
			return capNames[i]
		}
	}
	return fmt.Sprintf("Capability(%#x)", uint16(c))
}

// ParseCapability maps a name (`FsBasic`, case-sensitive) to its capability.
func ParseCapability(s string) (Capability, bool) {
	for i, n := range capNames {
		if n == s {
			return allCapabilities[i], true
		}
	}
	return 0, false
}

// Caps is a set of capabilities.
type Caps uint16

// Has reports whether c is in the set.
func (s Caps) Has(c Capability) bool { return uint16(s)&uint16(c) != 0 }

// With returns the set plus c.
func (s Caps) With(c Capability) Caps { return s | Caps(c) }

// Count is the number of capabilities in the set.
func (s Caps) Count() int {
	n := 0
	for _, c := range allCapabilities {
		if s.Has(c) {
			n++
		}
	}
	return n
}

// Required is the capability an opcode needs (§2.2); 0 for an unsupported one.
func (op Opcode) Required() Capability {
	switch {
	case op >= FsList && op <= FsDelete:
		return FsBasic
	case op >= AudioPlay && op <= AudioVolume:
		return AudioControl
	case op >= DocNew && op <= DocSave:
		return DocBasic
	case op == Screenshot:
		return CapScreenshot
	case op == AudioRecord:
		return Capture
	}
	return 0
}

// TestAgent is the agent id of the test token 0xFFFF << 48.
const TestAgent = 0xFFFF

// AgentID extracts the agent id from a token: bits 48–63. The low 48 bits
// carry nothing the reference checks (the kernel has no MAC there either).
func AgentID(token uint64) uint32 { return uint32(token>>48) & 0xFFFF }

// Token is the token an agent with this id sends (id << 48).
func Token(agent uint16) uint64 { return uint64(agent) << 48 }

// ErrBadFrame is wrapped by every decoding error.
var ErrBadFrame = errors.New("bad frame")

// ErrUnsupported is returned for an opcode outside 0x30–0x3D.
var ErrUnsupported = errors.New("unsupported opcode")

// BadFrameError says why a payload was rejected. Reason is one of the
// kernel-facing texts of §2.6.
type BadFrameError struct {
	Op     Opcode
	Reason string
}

// The reasons of agentsys.md §2.6.
const (
	ReasonShort      = "short payload"
	ReasonOverrun    = "length overrun"
	ReasonUTF8       = "bad utf-8"
	ReasonRelative   = "relative path"
	ReasonOutOfRange = "value out of range"
)

// Error names the opcode and the reason.
func (e *BadFrameError) Error() string { return fmt.Sprintf("frame: %s: %s", e.Op, e.Reason) }

// Unwrap makes errors.Is(err, ErrBadFrame) hold.
func (e *BadFrameError) Unwrap() error { return ErrBadFrame }

// Request is a decoded frame. Only the fields meaningful for Op are set.
// Path, Name and Data alias the payload: they are valid while the payload
// is not modified; use Clone to keep a request beyond that.
type Request struct {
	Op Opcode
	// Path is the path (FS ops) exactly as sent; validated UTF-8 and absolute.
	Path string
	// Offset is FS_READ/FS_WRITE's offset.
	Offset uint64
	// Len is FS_READ's length (512 when absent).
	Len uint32
	// Data is FS_WRITE's data: the rest of the payload.
	Data []byte
	// Dir is FS_CREATE's kind (false = file, the default).
	Dir bool
	// Track is AUDIO_PLAY's track number.
	Track uint32
	// Level is AUDIO_VOLUME's level (0–100).
	Level uint8
	// Name is DOC_NEW's name.
	Name string
	// Ref is DOC_EDIT/DOC_SAVE's document reference.
	Ref uint32
	// Ops is DOC_EDIT's operation count.
	Ops uint16
	// DurationMs is AUDIO_RECORD's duration in milliseconds.
	DurationMs uint32
}

// Clone returns a copy of r that shares no memory with the payload.
func (r Request) Clone() Request {
	r.Path = strings.Clone(r.Path)
	r.Name = strings.Clone(r.Name)
	if r.Data != nil {
		r.Data = append([]byte{}, r.Data...)
	}
	return r
}

// DefaultReadLen is FS_READ's length when the payload carries none, and
// also the most a single FS_READ returns.
const DefaultReadLen = 512

// DefaultRecordMs is AUDIO_RECORD's duration when the payload carries none.
const DefaultRecordMs = 5000

// MaxVolume is the highest AUDIO_VOLUME level.
const MaxVolume = 100

func bad(op Opcode, reason string) error { return &BadFrameError{Op: op, Reason: reason} }

// str decodes `u16 len` + len UTF-8 bytes and returns the rest.
func str(op Opcode, p []byte) (string, []byte, error) {
	if len(p) < 2 {
		return "", nil, bad(op, ReasonShort)
	}
	n := int(binary.LittleEndian.Uint16(p))
	if n > len(p)-2 {
		return "", nil, bad(op, ReasonOverrun)
	}
	b := p[2 : 2+n]
	if !utf8.Valid(b) {
		return "", nil, bad(op, ReasonUTF8)
	}
	if n == 0 {
		return "", p[2:], nil
	}
	// No copy: a denied call (the hot path under attack) then allocates
	// nothing. Callers that keep the string clone it (Request's doc).
	return unsafe.String(&b[0], n), p[2+n:], nil
}

// pathArg is str plus the absolute-path rule of §2.3.
func pathArg(op Opcode, p []byte) (string, []byte, error) {
	s, rest, err := str(op, p)
	if err != nil {
		return "", nil, err
	}
	if len(s) == 0 || s[0] != '/' {
		return "", nil, bad(op, ReasonRelative)
	}
	return s, rest, nil
}

// Decode parses one frame's payload. Extra bytes after what an opcode reads
// are ignored (§2.2). The error wraps ErrUnsupported or ErrBadFrame
// (*BadFrameError).
func Decode(op Opcode, p []byte) (Request, error) {
	r := Request{Op: op}
	var err error
	le := binary.LittleEndian
	switch op {
	case FsList, FsStat, FsDelete:
		r.Path, _, err = pathArg(op, p)
	case FsRead:
		var rest []byte
		r.Path, rest, err = pathArg(op, p)
		r.Len = DefaultReadLen
		if err == nil && len(rest) >= 12 {
			r.Offset = le.Uint64(rest)
			r.Len = le.Uint32(rest[8:])
		}
	case FsWrite:
		var rest []byte
		r.Path, rest, err = pathArg(op, p)
		if err == nil {
			if len(rest) < 8 {
				err = bad(op, ReasonShort)
			} else {
				r.Offset = le.Uint64(rest)
				r.Data = rest[8:]
			}
		}
	case FsCreate:
		if len(p) < 3 {
			return Request{Op: op}, bad(op, ReasonShort)
		}
		var rest []byte
		r.Path, rest, err = pathArg(op, p)
		if err == nil && len(rest) >= 1 {
			r.Dir = rest[0] != 0
		}
	case AudioPlay:
		if len(p) < 4 {
			return Request{Op: op}, bad(op, ReasonShort)
		}
		r.Track = le.Uint32(p)
	case AudioStop, Screenshot:
	case AudioVolume:
		if len(p) < 1 {
			return Request{Op: op}, bad(op, ReasonShort)
		}
		if p[0] > MaxVolume {
			return Request{Op: op}, bad(op, ReasonOutOfRange)
		}
		r.Level = p[0]
	case DocNew:
		r.Name, _, err = str(op, p)
	case DocEdit:
		if len(p) < 6 {
			return Request{Op: op}, bad(op, ReasonShort)
		}
		r.Ref = le.Uint32(p)
		r.Ops = le.Uint16(p[4:])
	case DocSave:
		if len(p) < 4 {
			return Request{Op: op}, bad(op, ReasonShort)
		}
		r.Ref = le.Uint32(p)
	case AudioRecord:
		switch {
		case len(p) >= 4:
			r.DurationMs = le.Uint32(p)
		case len(p) >= 2:
			r.DurationMs = uint32(le.Uint16(p)) * 1000
		default:
			r.DurationMs = DefaultRecordMs
		}
	default:
		return Request{Op: op}, ErrUnsupported
	}
	if err != nil {
		return Request{Op: op}, err
	}
	return r, nil
}

// PathPayload encodes `u16 len` + s, the payload of FS_LIST/STAT/DELETE and
// the prefix of the other FS opcodes. Strings longer than 65535 bytes are cut.
func PathPayload(s string) []byte {
	if len(s) > 0xFFFF {
		s = s[:0xFFFF]
	}
	b := make([]byte, 2, 2+len(s))
	binary.LittleEndian.PutUint16(b, uint16(len(s)))
	return append(b, s...)
}
