package agentsys

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/adler32"
	"hash/crc32"
	"path"
	"strconv"
	"strings"
	"unsafe"

	"github.com/sisemu/sisemu/agentsys/asm"
	"github.com/sisemu/sisemu/agentsys/frame"
	"github.com/sisemu/sisemu/agentsys/vfs"
	"github.com/sisemu/sisemu/sched/clock"
)

// Sentinel errors of a call (§2.1). BadFrame and Unsupported are the frame
// package's, so errors.Is works on decoder errors directly.
var (
	ErrAuthFailed  = errors.New("agentsys: auth failed")
	ErrBadFrame    = frame.ErrBadFrame
	ErrIO          = errors.New("agentsys: i/o error")
	ErrUnsupported = frame.ErrUnsupported
)

// Kind classifies a call's outcome.
type Kind uint8

// Outcomes, in the order they are checked.
const (
	OK Kind = iota
	Unsupported
	BadFrame
	AuthFailed
	IoError
)

// String is the kernel's name of the outcome (`ok`, `AuthFailed`, …).
func (k Kind) String() string {
	return [...]string{"ok", "Unsupported", "BadFrame", "AuthFailed", "IoError"}[k%5]
}

// Policy denial reasons (§2.3, §5.3).
const (
	ReasonNotRegistered = "Agent not registered"
	ReasonDisabled      = "Agent disabled"
	ReasonCapability    = "Capability not granted"
	ReasonScope         = "Path outside allowed scope"
	ReasonSize          = "File size exceeds limit"
	ReasonRateLimit     = "Rate limit exceeded"
)

// Agent is one entry of the protocol's agent table.
type Agent struct {
	ID    uint32
	Name  string
	Caps  frame.Caps
	Scope string // path prefix ending in "/", or "" for none
	// MaxFileSize bounds FS_WRITE's data length; 0 means no limit.
	MaxFileSize uint64
	Enabled     bool
}

func caps(cs ...frame.Capability) frame.Caps {
	var s frame.Caps
	for _, c := range cs {
		s = s.With(c)
	}
	return s
}

// DefaultAgents returns the fixed agent table of §2.4.
func DefaultAgents() []Agent {
	return []Agent{
		{ID: 0, Name: "system", Caps: caps(frame.FsBasic, frame.AudioControl, frame.DocBasic, frame.Capture, frame.CapScreenshot, frame.Admin), Enabled: true},
		{ID: 1, Name: "agentd", Caps: caps(frame.FsBasic, frame.AudioControl, frame.DocBasic), Enabled: true},
		{ID: 2, Name: "files_agent", Caps: caps(frame.FsBasic), Scope: "/tmp/files/", Enabled: true},
		{ID: 3, Name: "docs_agent", Caps: caps(frame.FsBasic, frame.DocBasic), Scope: "/tmp/docs/", Enabled: true},
		{ID: 4, Name: "music_agent", Caps: caps(frame.AudioControl), Enabled: true},
		{ID: 65535, Name: "test_agent", Caps: caps(frame.FsBasic, frame.AudioControl, frame.DocBasic, frame.Capture, frame.CapScreenshot), Enabled: true},
	}
}

// Record is one audit record (§3).
type Record struct {
	Agent   uint32
	Op      frame.Opcode
	Allowed bool
	TsUs    uint64
}

// RingSize is the capacity of the audit ring.
const RingSize = 200

// ring is the fixed-size audit ring; the 201st record overwrites the oldest.
type ring struct {
	recs  [RingSize]Record
	next  int
	held  int
	total uint64
}

func (r *ring) add(rec Record) {
	r.recs[r.next] = rec
	r.next = (r.next + 1) % RingSize
	if r.held < RingSize {
		r.held++
	}
	r.total++
}

// Metrics are the protocol's counters (§2.3, §3).
type Metrics struct {
	CallsTotal      uint64
	AuditEvents     uint64
	DeniesTotal     uint64
	PolicyDenies    uint64
	ScopeViolations uint64
	PolicyAllows    uint64
	// PerOp counts calls per supported opcode, index op − 0x30.
	PerOp [frame.Last - frame.First + 1]uint64
}

// Player is the audio player's state.
type Player struct {
	Track   uint32
	Playing bool
	Volume  uint8
}

// Document is one entry of the document store.
type Document struct {
	Ref   uint32
	Name  string
	Edits uint64
	Saves uint64
	Dirty bool
}

// Options configure a System.
type Options struct {
	// Agents replaces the agent table; nil means DefaultAgents. The table
	// never changes after New.
	Agents []Agent
	// ASM configures the supervisor.
	ASM asm.Options
}

// System is the AgentSys protocol endpoint: agent table, policy, VFS,
// player, document store, audit ring, and the supervisor its calls touch.
type System struct {
	audit ring
	// scopes[i] is agents[i].Scope prepared (nil: no scope).
	scopes  []*scope
	metrics Metrics
	player  Player
	agents  []Agent
	fs      *vfs.FS
	docs    map[uint32]*Document
	docRefs []uint32
	nextRef uint32
	docSize uint64
	asm     *asm.Supervisor
}

// VFS paths the protocol uses.
const (
	MediaDir = "/tmp/agentsys"
)

// New builds a system with the VFS seeded as §2.5.
func New(o Options) (*System, error) {
	agents := o.Agents
	if agents == nil {
		agents = DefaultAgents()
	}
	for i, a := range agents {
		if a.Scope != "" && (a.Scope[0] != '/' || a.Scope[len(a.Scope)-1] != '/') {
			return nil, fmt.Errorf("agentsys: agent %d: scope %q must be absolute and end in /", a.ID, a.Scope)
		}
		for _, b := range agents[:i] {
			if b.ID == a.ID {
				return nil, fmt.Errorf("agentsys: agent id %d listed twice", a.ID)
			}
		}
	}
	sup, err := asm.New(o.ASM)
	if err != nil {
		return nil, fmt.Errorf("agentsys: %w", err)
	}
	s := &System{
		agents:  append([]Agent(nil), agents...),
		fs:      vfs.New(),
		docs:    map[uint32]*Document{},
		nextRef: 1,
		asm:     sup,
		player:  Player{Volume: 50},
	}
	for _, a := range s.agents {
		var sc *scope
		if a.Scope != "" {
			sc = &scope{base: strings.TrimSuffix(path.Clean(a.Scope), "/")}
			for c := range strings.SplitSeq(sc.base, "/") {
				if c != "" {
					sc.comps = append(sc.comps, c)
				}
			}
			if len(sc.comps) > 8 {
				return nil, fmt.Errorf("agentsys: agent %d: scope %q deeper than 8 components", a.ID, a.Scope)
			}
		}
		s.scopes = append(s.scopes, sc)
	}
	for _, d := range []string{"/tmp", "/tmp/docs", "/tmp/files"} {
		if err := s.fs.MkdirAll(d); err != nil {
			return nil, fmt.Errorf("agentsys: seed: %w", err)
		}
	}
	for _, f := range []struct{ p, data string }{
		{"/tmp/docs/readme.txt", "docs scope\n"},
		{"/tmp/files/hello.txt", "hello\n"},
		{"/tmp/test.txt", "SIS test file\n"},
	} {
		if err := s.fs.WriteFile(f.p, []byte(f.data), vfs.FileMode); err != nil {
			return nil, fmt.Errorf("agentsys: seed: %w", err)
		}
	}
	return s, nil
}

// Agents returns a copy of the agent table in table order.
func (s *System) Agents() []Agent { return append([]Agent(nil), s.agents...) }

func (s *System) agent(id uint32) (*Agent, *scope) {
	for i := range s.agents {
		if s.agents[i].ID == id {
			return &s.agents[i], s.scopes[i]
		}
	}
	return nil, nil
}

// ResourceKind says what a policy check's resource is.
type ResourceKind uint8

// Resource kinds (§2.3).
const (
	NoResource ResourceKind = iota
	PathResource
	SizeResource
	TrackResource
	RefResource
)

// Resource is what a call acts on, for the policy check.
type Resource struct {
	Kind ResourceKind
	Path string // PathResource: absolute, cleaned or not
	N    uint64 // SizeResource: bytes; TrackResource, RefResource: the number
}

// Decision is a policy check's verdict.
type Decision struct {
	Allow  bool
	Reason string
}

// InScope reports whether the absolute path p, once cleaned, lies under the
// prefix (which ends in "/"): `/tmp/files` and `/tmp/files/a` are in
// `/tmp/files/`; `/tmp/filesX` and `/tmp/files/../docs` are not. It is
// path.Clean(p)+"/" starting with prefix, computed in one pass over p
// without allocating (it runs on every FS call).
func InScope(p, prefix string) bool {
	if prefix == "" {
		return true
	}
	var comps [8]string
	k := 0
	for c := range strings.SplitSeq(prefix, "/") {
		if c == "" || c == "." {
			continue
		}
		if k == len(comps) {
			return strings.HasPrefix(path.Clean(p)+"/", path.Clean(prefix)+"/")
		}
		comps[k] = c
		k++
	}
	return inScope(p, comps[:k])
}

// scopeCheck is the policy's scope test: a path without `//` and without a
// component starting with `.` is already clean (but for a trailing slash),
// so a plain prefix comparison decides; anything else takes the component
// walk.
func scopeCheck(p string, sc scope) bool {
	if len(p) == 0 || p[0] != '/' {
		return false
	}
	if clean(p) {
		b := sc.base
		return len(p) >= len(b) && p[:len(b)] == b && (len(p) == len(b) || p[len(b)] == '/')
	}
	return inScope(p, sc.comps)
}

// clean reports that p has no `//` and no component starting with `.`: one
// pass, no allocation (two strings.Contains calls cost twice as much on
// the short paths agents send).
func clean(p string) bool {
	for i := 0; i+1 < len(p); i++ {
		if p[i] == '/' && (p[i+1] == '/' || p[i+1] == '.') {
			return false
		}
	}
	return true
}

// scope is an agent's scope prefix, prepared for scopeCheck.
type scope struct {
	// base is the cleaned prefix without its trailing slash ("" for "/").
	base  string
	comps []string
}

// inScope is InScope against the prefix's components. Only the components
// at depth < len(prefix) matter, so only their match is remembered; deeper
// ones are counted.
func inScope(p string, prefix []string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	var match [8]bool
	depth := 0
	for i := 1; i < len(p); {
		if p[i] == '/' {
			i++
			continue
		}
		j := strings.IndexByte(p[i:], '/')
		if j < 0 {
			j = len(p)
		} else {
			j += i
		}
		comp := p[i:j]
		switch {
		case len(comp) == 1 && comp[0] == '.':
		case len(comp) == 2 && comp[0] == '.' && comp[1] == '.':
			if depth > 0 {
				depth--
			}
		default:
			if depth < len(prefix) {
				match[depth] = comp == prefix[depth]
			}
			depth++
		}
		i = j
	}
	if depth < len(prefix) {
		return false
	}
	for d := range prefix {
		if !match[d] {
			return false
		}
	}
	return true
}

// Check is the policy check of §2.3: first matching step wins. It updates
// the policy metrics.
func (s *System) Check(agent uint32, c frame.Capability, r Resource) Decision {
	a, scope := s.agent(agent)
	switch {
	case a == nil:
		return Decision{Reason: ReasonNotRegistered}
	case !a.Enabled:
		return Decision{Reason: ReasonDisabled}
	case !a.Caps.Has(c):
		s.metrics.PolicyDenies++
		return Decision{Reason: ReasonCapability}
	case r.Kind == PathResource && scope != nil && !scopeCheck(r.Path, *scope):
		s.metrics.ScopeViolations++
		return Decision{Reason: ReasonScope}
	case r.Kind == SizeResource && a.MaxFileSize > 0 && r.N > a.MaxFileSize:
		return Decision{Reason: ReasonSize}
	}
	s.metrics.PolicyAllows++
	return Decision{Allow: true}
}

// Stage names the step of an effect that failed (§2.2).
type Stage uint8

// Failure stages.
const (
	StageOpen Stage = iota + 1
	StageRead
	StageSeek
	StageWrite
	StageOpenCreate
	StageGetattr
	StageStat
	StageCreate
	StageDelete
	// StageReaddir prints `[FS] Error: <desc>`.
	StageReaddir
	// StageMediaCreate and StageMediaWrite are the audio/screenshot/record
	// file's failures (`Failed to create file`, `Write failed`).
	StageMediaCreate
	StageMediaWrite
	// StageDocRef is an unknown document reference.
	StageDocRef
)

// String is the stage's name as the kernel prints it.
func (st Stage) String() string {
	return [...]string{"", "Open", "Read", "Seek", "Write", "Open/Create", "Getattr", "Stat", "Create", "Delete",
		"readdir", "create", "write", "doc"}[st%14]
}

// IOError is an effect's failure.
type IOError struct {
	Stage Stage
	// Err is the VFS error (a vfs.Errno) for FS stages.
	Err error
	// Ref is the unknown reference for StageDocRef.
	Ref uint32
}

// Error describes the failure for logs; the console text is built in emu.
func (e *IOError) Error() string {
	if e.Stage == StageDocRef {
		return "agentsys: unknown document ref=" + strconv.FormatUint(uint64(e.Ref), 10)
	}
	return fmt.Sprintf("agentsys: %s: %v", e.Stage, e.Err)
}

// Unwrap makes errors.Is(err, ErrIO) and errors.Is(err, vfs.ErrNotExist) hold.
func (e *IOError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrIO}
	}
	return []error{ErrIO, e.Err}
}

// Effect is what a successful call did; only the fields of its opcode are set.
type Effect struct {
	Entries    []vfs.Info // FS_LIST
	Data       []byte     // FS_READ
	Stat       vfs.Info   // FS_STAT
	Path       string     // FS ops: the path as sent; media ops: the file made
	Written    int        // FS_WRITE
	Dir        bool       // FS_CREATE
	Track      uint32     // AUDIO_PLAY
	Level      uint8      // AUDIO_VOLUME
	Ref        uint32     // DOC_*
	Name       string     // DOC_NEW
	Ops        uint16     // DOC_EDIT
	Size       int        // SCREENSHOT: file size
	DurationMs uint32     // AUDIO_RECORD
	TimeMs     uint64     // SCREENSHOT, AUDIO_RECORD: ms since boot
}

// Result is everything one call produced, in the order the console prints
// it: ASMBefore (rate-limit fault), the outcome's lines, ASMAfter
// (violation, quota fault), then the audit record.
type Result struct {
	Op    frame.Opcode
	Agent uint32
	Kind  Kind
	// Err is nil for OK, else wraps the outcome's sentinel.
	Err error
	// Denial is the policy reason when Kind is AuthFailed.
	Denial string
	// BadFrame is the decoder's reason when Kind is BadFrame.
	BadFrame string
	// IO describes the failure when Kind is IoError.
	IO     *IOError
	Effect Effect
	// ASMBefore and ASMAfter are the supervisor's events (agent registered
	// in ASM only).
	ASMBefore, ASMAfter []asm.Event
	Record              Record
}

// HandleFrame processes one frame (§2.1, §2.6): opcode, payload, throttle,
// policy, effect, then exactly one audit record. It never panics on any
// input.
func (s *System) HandleFrame(now clock.Ticks, op frame.Opcode, token uint64, payload []byte) Result {
	id := frame.AgentID(token)
	res := Result{Op: op, Agent: id}
	registered, refused, ev := s.asm.Admit(now, id)
	req, err := frame.Decode(op, payload)
	bf, isBad := err.(*frame.BadFrameError)
	switch {
	case err == frame.ErrUnsupported:
		res.Kind, res.Err = Unsupported, err
	case isBad:
		res.Kind, res.Err, res.BadFrame = BadFrame, err, bf.Reason
	case refused:
		res.ASMBefore = ev
		res.Kind, res.Denial, res.Err = AuthFailed, ReasonRateLimit, ErrAuthFailed
	default:
		s.call(now, id, req, &res)
	}
	if res.Kind != OK && res.Kind != AuthFailed && refused {
		// A throttled agent's malformed frame is still refused work; its
		// rate fault, if this call raised one, is reported first.
		res.ASMBefore = ev
	}
	rec := Record{Agent: id, Op: op, Allowed: res.Kind == OK, TsUs: now.Us()}
	s.audit.add(rec)
	res.Record = rec
	s.metrics.CallsTotal++
	s.metrics.AuditEvents++
	if op.Supported() {
		s.metrics.PerOp[op-frame.First]++
	}
	if !rec.Allowed {
		s.metrics.DeniesTotal++
	}
	if registered {
		res.ASMAfter = append(res.ASMAfter, s.asm.Complete(now, id, 0, rec.Allowed)...)
		if res.Kind == AuthFailed && res.Denial != ReasonRateLimit {
			f := asm.FaultPolicy
			if res.Denial == ReasonCapability {
				f = asm.FaultCapability
			}
			res.ASMAfter = append(res.ASMAfter, s.asm.Violation(now, id, f)...)
		}
	}
	return res
}

func (s *System) deny(res *Result, d Decision) {
	// The sentinel itself: Denial carries the reason, and a denied call
	// must stay cheap (it is the hot path of an attack).
	res.Kind, res.Denial, res.Err = AuthFailed, d.Reason, ErrAuthFailed
}

func (s *System) fail(res *Result, st Stage, err error) {
	var errno vfs.Errno
	if !errors.As(err, &errno) {
		errno = vfs.ErrInvalid
	}
	e := &IOError{Stage: st, Err: errno}
	res.Kind, res.IO, res.Err = IoError, e, fmt.Errorf("agentsys: %s: %w", res.Op, e)
}

// call runs the policy check and the effect of a decoded frame.
func (s *System) call(now clock.Ticks, id uint32, req frame.Request, res *Result) {
	r := Resource{}
	switch req.Op {
	case frame.FsList, frame.FsRead, frame.FsWrite, frame.FsStat, frame.FsCreate, frame.FsDelete:
		r = Resource{Kind: PathResource, Path: req.Path}
	case frame.AudioPlay:
		r = Resource{Kind: TrackResource, N: uint64(req.Track)}
	case frame.DocEdit, frame.DocSave:
		r = Resource{Kind: RefResource, N: uint64(req.Ref)}
	}
	if d := s.Check(id, req.Op.Required(), r); !d.Allow {
		s.deny(res, d)
		return
	}
	if req.Op == frame.FsWrite {
		if d := s.Check(id, frame.FsBasic, Resource{Kind: SizeResource, N: uint64(len(req.Data))}); !d.Allow {
			s.deny(res, d)
			return
		}
	}
	// The effect keeps strings (VFS names, document names, result paths):
	// from here on the request must not alias the caller's payload.
	s.effect(now, req.Clone(), res)
}

// The media files' fixed contents.
var (
	// wavTrack is a 52-byte RIFF/WAVE file: PCM, mono, 8 kHz, 8-bit, eight
	// samples of silence (128).
	wavTrack = func() []byte {
		b := []byte("RIFF\x2c\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x40\x1f\x00\x00\x01\x00\x08\x00data\x08\x00\x00\x00")
		for range 8 {
			b = append(b, 128)
		}
		return b
	}()
	// pngPixel is the 66-byte 1×1 8-bit grayscale PNG. The spec fixes its
	// size at 66 bytes, one less than the smallest fully conforming 1×1
	// PNG: its IDAT stream carries the scanline's filter byte only, which
	// lenient decoders show as a black pixel.
	pngPixel = buildPNG()
)

func (s *System) media(res *Result, file string, data []byte) bool {
	if err := s.fs.MkdirAll(MediaDir); err != nil {
		s.fail(res, StageMediaCreate, err)
		return false
	}
	if err := s.fs.WriteFile(file, data, vfs.FileMode); err != nil {
		s.fail(res, StageMediaCreate, err)
		return false
	}
	res.Effect.Path = file
	return true
}

func (s *System) doc(res *Result, ref uint32) *Document {
	d := s.docs[ref]
	if d == nil {
		e := &IOError{Stage: StageDocRef, Ref: ref}
		res.Kind, res.IO, res.Err = IoError, e, fmt.Errorf("agentsys: %s: %w", res.Op, e)
		res.Effect.Ref = ref
	}
	return d
}

// effect performs an allowed call.
func (s *System) effect(now clock.Ticks, req frame.Request, res *Result) {
	e := &res.Effect
	e.Path = req.Path
	switch req.Op {
	case frame.FsList:
		ents, err := s.fs.List(req.Path)
		if err != nil {
			s.fail(res, StageReaddir, err)
			return
		}
		e.Entries = ents
	case frame.FsRead:
		if _, err := s.fs.Open(req.Path); err != nil {
			s.fail(res, StageOpen, err)
			return
		}
		n := min(req.Len, frame.DefaultReadLen)
		data, err := s.fs.ReadAt(req.Path, req.Offset, int(n))
		if err != nil {
			s.fail(res, StageRead, err)
			return
		}
		e.Data = data
	case frame.FsWrite:
		if err := s.fs.OpenCreate(req.Path); err != nil {
			s.fail(res, StageOpenCreate, err)
			return
		}
		n, err := s.fs.WriteAt(req.Path, req.Offset, req.Data)
		if err != nil {
			s.fail(res, StageWrite, err)
			return
		}
		e.Written = n
	case frame.FsStat:
		st, err := s.fs.Stat(req.Path)
		if err != nil {
			s.fail(res, StageStat, err)
			return
		}
		e.Stat = st
	case frame.FsCreate:
		if err := s.fs.Create(req.Path, req.Dir); err != nil {
			s.fail(res, StageCreate, err)
			return
		}
		e.Dir = req.Dir
	case frame.FsDelete:
		if err := s.fs.Remove(req.Path); err != nil {
			s.fail(res, StageDelete, err)
			return
		}
	case frame.AudioPlay:
		e.Track = req.Track
		if !s.media(res, MediaDir+"/audio_track_"+strconv.FormatUint(uint64(req.Track), 10)+".wav", wavTrack) {
			return
		}
		s.player.Track, s.player.Playing = req.Track, true
	case frame.AudioStop:
		s.player.Playing = false
	case frame.AudioVolume:
		e.Level = req.Level
		s.player.Volume = req.Level
	case frame.DocNew:
		ref := s.nextRef
		s.nextRef++
		s.docs[ref] = &Document{Ref: ref, Name: req.Name}
		s.docRefs = append(s.docRefs, ref)
		s.docSize += uint64(len(req.Name))
		e.Ref, e.Name = ref, req.Name
	case frame.DocEdit:
		d := s.doc(res, req.Ref)
		if d == nil {
			return
		}
		d.Edits += uint64(req.Ops)
		d.Dirty = d.Dirty || req.Ops > 0
		e.Ref, e.Ops = req.Ref, req.Ops
	case frame.DocSave:
		d := s.doc(res, req.Ref)
		if d == nil {
			return
		}
		d.Saves++
		d.Dirty = false
		e.Ref = req.Ref
	case frame.Screenshot:
		e.TimeMs = now.Ms()
		e.Size = len(pngPixel)
		s.media(res, MediaDir+"/screenshot_"+strconv.FormatUint(e.TimeMs, 10)+".png", pngPixel)
	case frame.AudioRecord:
		e.TimeMs, e.DurationMs = now.Ms(), req.DurationMs
		dur := strconv.FormatUint(uint64(req.DurationMs), 10)
		s.media(res, MediaDir+"/recording_"+strconv.FormatUint(e.TimeMs, 10)+"_"+dur+".mp4", []byte("VIDEO:"+dur+"ms:PLACEHOLDER"))
	}
}

// Status is a snapshot of the protocol's state (§4.1 and the counters).
type Status struct {
	Agents    []Agent
	TotalOps  uint64
	AuditHeld int
	Metrics   Metrics
	Player    Player
	Documents int
	Overhead  uint64
}

// Status returns a copy of the protocol's state.
func (s *System) Status() Status {
	return Status{Agents: s.Agents(), TotalOps: s.audit.total, AuditHeld: s.audit.held, Metrics: s.metrics,
		Player: s.player, Documents: len(s.docRefs), Overhead: s.Overhead()}
}

// Audit returns the newest n records held, newest first.
func (s *System) Audit(n int) []Record {
	n = max(0, min(n, s.audit.held))
	out := make([]Record, n)
	for i := range n {
		out[i] = s.audit.recs[(s.audit.next-1-i+2*RingSize)%RingSize]
	}
	return out
}

// AuditHeld is the number of records in the ring (at most RingSize).
func (s *System) AuditHeld() int { return s.audit.held }

// TotalOps counts every audit record ever written.
func (s *System) TotalOps() uint64 { return s.audit.total }

// Metrics returns a copy of the counters.
func (s *System) Metrics() Metrics { return s.metrics }

// Player returns the player's state.
func (s *System) Player() Player { return s.player }

// Documents returns the document store in ref order.
func (s *System) Documents() []Document {
	out := make([]Document, 0, len(s.docRefs))
	for _, r := range s.docRefs {
		out = append(out, *s.docs[r])
	}
	return out
}

// FS returns the VFS (for inspection; calls should go through HandleFrame).
func (s *System) FS() *vfs.FS { return s.fs }

// ASM returns the supervisor.
func (s *System) ASM() *asm.Supervisor { return s.asm }

// Overhead is the memory the protocol state costs: the System value with
// its full-size audit ring, plus the bytes it stores (file data and names,
// document names). The kernel's goal is under 100 KiB.
func (s *System) Overhead() uint64 {
	return uint64(unsafe.Sizeof(*s)) + s.fs.StoredBytes() + s.docSize
}

// buildPNG assembles pngPixel with correct chunk CRCs and zlib checksum.
func buildPNG() []byte {
	chunk := func(b []byte, typ string, data []byte) []byte {
		b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
		start := len(b)
		b = append(b, typ...)
		b = append(b, data...)
		return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
	}
	b := []byte("\x89PNG\r\n\x1a\n")
	b = chunk(b, "IHDR", []byte{0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0})
	// zlib: header 78 9C, one final fixed-Huffman block holding the literal
	// 0 and end-of-block, Adler-32 of that one byte.
	z := []byte{0x78, 0x9c, 0x63, 0x00, 0x00}
	z = binary.BigEndian.AppendUint32(z, adler32.Checksum([]byte{0}))
	b = chunk(b, "IDAT", z)
	return chunk(b, "IEND", nil)
}
