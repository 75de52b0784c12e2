package dataflow

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// V0 control frame layout (dataflow.md §4.1).
const (
	// FrameMagic is byte 0 of every frame ('C').
	FrameMagic = 0x43
	// FrameHeaderLen is magic, version, command, flags and the u32 len.
	FrameHeaderLen = 8
	// FrameMaxLen is the largest allowed len (token + body).
	FrameMaxLen = 64
	// TokenLen is the size of the capability token that starts the payload.
	TokenLen = 8
	// GraphctlBuffer is the size of graphctl's in-process frame buffer.
	GraphctlBuffer = 96
)

// Cmd is a frame's command byte.
type Cmd uint8

// Graph commands (§4.3).
const (
	CmdCreateGraph         Cmd = 0x01 // body: none
	CmdAddChannel          Cmd = 0x02 // body: capacity u16
	CmdAddOperator         Cmd = 0x03 // body: op_id u32, in u16, out u16, priority u8, stage u8
	CmdStartGraph          Cmd = 0x04 // body: steps u32
	CmdAddOperatorTyped    Cmd = 0x05 // body: as 0x03, then in_schema u32, out_schema u32
	CmdEnableDeterministic Cmd = 0x06 // body: wcet_ns, period_ns, deadline_ns u64
)

// TokenClass says which token a command must carry.
type TokenClass uint8

// Token classes.
const (
	// TokenControl: the control token (graph commands, LLM poll/cancel,
	// neural commands).
	TokenControl TokenClass = iota
	// TokenAdmin: the admin token (LLM load).
	TokenAdmin
	// TokenSubmitOrAdmin: the submit or the admin token (LLM infer start).
	TokenSubmitOrAdmin
	// TokenAgent: AgentSys frames carry an agent token checked by agentsys
	// policy, not by the control plane.
	TokenAgent
)

// minLen is the smallest len (token + body) per command; 0 = unknown
// command. Commands owned by other subsystems need at least the token here;
// their own body rules apply after dispatch.
func minLen(c Cmd) uint32 {
	switch {
	case c == CmdCreateGraph:
		return 8
	case c == CmdAddChannel:
		return 10
	case c == CmdAddOperator:
		return 18
	case c == CmdStartGraph:
		return 12
	case c == CmdAddOperatorTyped:
		return 26
	case c == CmdEnableDeterministic:
		return 32
	case c >= 0x10 && c <= 0x13, c >= 0x20 && c <= 0x23, c >= 0x30 && c <= 0x3F:
		return TokenLen
	}
	return 0
}

// Known reports whether the command is in the §4.3 table.
func (c Cmd) Known() bool { return minLen(c) != 0 }

// Graph reports a graph command (0x01–0x06).
func (c Cmd) Graph() bool { return c >= CmdCreateGraph && c <= CmdEnableDeterministic }

// MinLen returns the smallest valid len for the command (0 if unknown).
func (c Cmd) MinLen() uint32 { return minLen(c) }

// TokenClass returns which token the command must carry.
func (c Cmd) TokenClass() TokenClass {
	switch {
	case c == 0x10:
		return TokenAdmin
	case c == 0x11:
		return TokenSubmitOrAdmin
	case c >= 0x30 && c <= 0x3F:
		return TokenAgent
	}
	return TokenControl
}

// Frame errors (§4.2). Errors print no text of their own; the console
// prints `[CTL] error`.
var (
	ErrBadFrame    = errors.New("ctl: bad frame")   // checks 1, 2, 4, 7
	ErrUnsupported = errors.New("ctl: unsupported") // checks 3, 6
	ErrOversize    = errors.New("ctl: oversize")    // check 5
	ErrAuthFailed  = errors.New("ctl: auth failed") // check 8
	// ErrShortBody is the BadFrame of check 7 (len too short for the
	// command's body); the kernel prints `CTRL: bad frame len` for it on
	// AddOperator.
	ErrShortBody = fmt.Errorf("%w: body too short for command", ErrBadFrame)
)

// Frame is a decoded V0 control frame. Only the fields of its command are
// meaningful.
type Frame struct {
	Cmd   Cmd
	Flags uint8
	// Len is the header's len field (token + body).
	Len   uint32
	Token uint64
	// Capacity: AddChannel.
	Capacity uint16
	// Op: AddOperator / AddOperatorTyped (In/Out 0xFFFF = none, stage > 4 =
	// none, schemas 0 = none; Typed set for 0x05).
	Op WireOp
	// Steps: StartGraph.
	Steps uint32
	// Wcet, Period, Deadline in ns: EnableDeterministic.
	Wcet, Period, Deadline uint64
	// Body is the command body after the token (aliases the input).
	Body []byte
}

// WireOp is the operator part of an AddOperator frame.
type WireOp struct {
	ID                  uint32
	In, Out             uint16
	Priority            uint8
	Stage               Stage
	Typed               bool
	InSchema, OutSchema uint32
}

// Spec returns the operator spec the frame asks for.
func (w WireOp) Spec() OperatorSpec {
	return OperatorSpec{ID: w.ID, In: w.In, Out: w.Out, Priority: w.Priority, Stage: w.Stage,
		Typed: w.Typed, InSchema: w.InSchema, OutSchema: w.OutSchema}
}

// Decode parses and validates a frame; see Frame.UnmarshalBinary.
func Decode(b []byte) (Frame, error) {
	var f Frame
	err := f.UnmarshalBinary(b)
	return f, err
}

// UnmarshalBinary parses and validates a frame into f, running checks 1–7
// of §4.2 in order; checks 8 (token) and 9 (graph exists) belong to the
// receiver (Authorize, then the graph slot). On an ErrShortBody failure f
// still carries Cmd, so the caller can print the command's begin line. It
// never allocates and never retains b beyond Frame.Body.
func (f *Frame) UnmarshalBinary(b []byte) error {
	*f = Frame{}
	if len(b) < FrameHeaderLen || b[0] != FrameMagic {
		return ErrBadFrame
	}
	if b[1] != 0 {
		return ErrUnsupported
	}
	n := binary.LittleEndian.Uint32(b[4:])
	if uint64(len(b)) < FrameHeaderLen+uint64(n) {
		return ErrBadFrame
	}
	if n > FrameMaxLen {
		return ErrOversize
	}
	cmd := Cmd(b[2])
	need := minLen(cmd)
	if need == 0 {
		return ErrUnsupported
	}
	f.Cmd, f.Flags, f.Len = cmd, b[3], n
	if n < need {
		return ErrShortBody
	}
	f.Token = binary.LittleEndian.Uint64(b[8:])
	body := b[FrameHeaderLen+TokenLen : FrameHeaderLen+n]
	f.Body = body
	switch cmd {
	case CmdAddChannel:
		f.Capacity = binary.LittleEndian.Uint16(body)
	case CmdAddOperator, CmdAddOperatorTyped:
		f.Op = WireOp{
			ID:       binary.LittleEndian.Uint32(body),
			In:       binary.LittleEndian.Uint16(body[4:]),
			Out:      binary.LittleEndian.Uint16(body[6:]),
			Priority: body[8],
			Stage:    Stage(body[9]),
		}
		if f.Op.Stage > StageExplain {
			f.Op.Stage = StageNone
		}
		if cmd == CmdAddOperatorTyped {
			f.Op.Typed = true
			f.Op.InSchema = binary.LittleEndian.Uint32(body[10:])
			f.Op.OutSchema = binary.LittleEndian.Uint32(body[14:])
		}
	case CmdStartGraph:
		f.Steps = binary.LittleEndian.Uint32(body)
	case CmdEnableDeterministic:
		f.Wcet = binary.LittleEndian.Uint64(body)
		f.Period = binary.LittleEndian.Uint64(body[8:])
		f.Deadline = binary.LittleEndian.Uint64(body[16:])
	}
	return nil
}

// Authorize is check 8: the frame's token against the current tokens.
// AgentSys frames (0x30–0x3F) carry agent tokens judged by agentsys policy
// and always pass here.
func (f *Frame) Authorize(t Tokens) error {
	ok := false
	switch f.Cmd.TokenClass() {
	case TokenControl:
		ok = f.Token == t.Control
	case TokenAdmin:
		ok = f.Token == t.Admin
	case TokenSubmitOrAdmin:
		ok = f.Token == t.Submit || f.Token == t.Admin
	case TokenAgent:
		ok = true
	}
	if !ok {
		return ErrAuthFailed
	}
	return nil
}

// AppendBinary appends the frame's encoding: header, token and the body of
// its command (for commands outside 0x01–0x06, Body as given). Len is
// computed, not taken from the frame.
func (f *Frame) AppendBinary(b []byte) ([]byte, error) {
	var body [FrameMaxLen - TokenLen]byte
	n := 0
	switch f.Cmd {
	case CmdCreateGraph:
	case CmdAddChannel:
		binary.LittleEndian.PutUint16(body[:], f.Capacity)
		n = 2
	case CmdAddOperator, CmdAddOperatorTyped:
		binary.LittleEndian.PutUint32(body[:], f.Op.ID)
		binary.LittleEndian.PutUint16(body[4:], f.Op.In)
		binary.LittleEndian.PutUint16(body[6:], f.Op.Out)
		body[8] = f.Op.Priority
		body[9] = byte(f.Op.Stage)
		n = 10
		if f.Cmd == CmdAddOperatorTyped {
			binary.LittleEndian.PutUint32(body[10:], f.Op.InSchema)
			binary.LittleEndian.PutUint32(body[14:], f.Op.OutSchema)
			n = 18
		}
	case CmdStartGraph:
		binary.LittleEndian.PutUint32(body[:], f.Steps)
		n = 4
	case CmdEnableDeterministic:
		binary.LittleEndian.PutUint64(body[:], f.Wcet)
		binary.LittleEndian.PutUint64(body[8:], f.Period)
		binary.LittleEndian.PutUint64(body[16:], f.Deadline)
		n = 24
	default:
		if len(f.Body) > len(body) {
			return b, fmt.Errorf("%w: body of %d bytes", ErrOversize, len(f.Body))
		}
		n = copy(body[:], f.Body)
	}
	var hdr [FrameHeaderLen + TokenLen]byte
	hdr[0], hdr[1], hdr[2], hdr[3] = FrameMagic, 0, byte(f.Cmd), f.Flags
	binary.LittleEndian.PutUint32(hdr[4:], uint32(TokenLen+n))
	binary.LittleEndian.PutUint64(hdr[8:], f.Token)
	b = append(b, hdr[:]...)
	return append(b, body[:n]...), nil
}

// MarshalBinary returns the frame's encoding.
func (f *Frame) MarshalBinary() ([]byte, error) { return f.AppendBinary(nil) }
