package governance

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"

	"github.com/sisemu/sisemu/governance/audit"
	"github.com/sisemu/sisemu/sched"
	"github.com/sisemu/sisemu/sched/clock"
)

// Defaults and capacities of the LLM state (governance.md §0, §1.1).
const (
	// DefaultWCETCycles is the LLM's WCET until a load or budget sets it.
	DefaultWCETCycles = 25_000
	// DefaultMaxTokens is the token cap (and budget request) without --max-tokens.
	DefaultMaxTokens = 64
	// DefaultPace is the pacing scale in percent; MinPace..MaxPace bound it.
	DefaultPace = 100
	// MinPace is the smallest pacing scale.
	MinPace = 50
	// MaxPace is the largest pacing scale.
	MaxPace = 500

	// AuditCapacity is the size of the LLM audit ring.
	AuditCapacity = 32
	// InferTableCapacity is the size of the inference table.
	InferTableCapacity = 32
	// SecuritySlots is the size of the path A security store.
	SecuritySlots = 4
	// RegistryCapacity is how many named models the registry holds.
	RegistryCapacity = 64

	// PolicyMaxBytes is the policy limit checked with `>` (so exactly
	// 128 MiB passes it and then fails MaxModelBytes: Q3).
	PolicyMaxBytes = 134_217_728
	// MaxModelBytes is the metadata size limit of a loadable model.
	MaxModelBytes = 67_108_864
	// MinCtx and MaxCtx bound a model's context length.
	MinCtx = 1
	// MaxCtx is the largest context length.
	MaxCtx = 8192
	// MinVocab and MaxVocab bound a model's vocabulary.
	MinVocab = 1_000
	// MaxVocab is the largest vocabulary.
	MaxVocab = 500_000

	// DefaultCtx is path B's context length without --ctx.
	DefaultCtx = 2048
	// DefaultVocab is path B's vocabulary without --vocab.
	DefaultVocab = 50_000
	// DefaultModelBytes is path B's size without --size-bytes.
	DefaultModelBytes = 1_048_576
	// DefaultHashBytes is how many bytes path A hashes without --size-bytes.
	DefaultHashBytes = 1024

	// VerifyNsPerByte is the modelled cost of SHA-256 verification on the
	// kernel's Cortex-A72 without crypto extensions (~125 MB/s).
	VerifyNsPerByte = 8
)

// Audit operations and status bits (governance.md §2.3).
const (
	// OpLoad is `llmctl load`.
	OpLoad = 1
	// OpBudget is `llmctl budget`: never written to the ring, as in the kernel.
	OpBudget = 2
	// OpInfer is `llminfer`.
	OpInfer = 3
	// OpStream is `llmstream`.
	OpStream = 4

	// StatusOK: the operation was served.
	StatusOK = 1
	// StatusReject: refused (or, for a stream, cut) by policy or budget.
	StatusReject = 2
	// StatusMiss: the inference ran longer than its WCET.
	StatusMiss = 4
)

// Sentinel errors.
var (
	// ErrPaceRange is a pace scale outside MinPace..MaxPace percent.
	ErrPaceRange = errors.New("governance: pace scale out of range")
)

// Opt is an optional value: a flag that was given and parsed.
type Opt[T any] struct {
	V   T
	Set bool
}

// Some returns a set Opt.
func Some[T any](v T) Opt[T] { return Opt[T]{V: v, Set: true} }

// Or returns the value if set, else def.
func (o Opt[T]) Or(def T) T {
	if o.Set {
		return o.V
	}
	return def
}

// Quant is a model quantisation.
type Quant uint8

// The quantisations `--quant` accepts.
const (
	// QuantQ4_0 is q4_0.
	QuantQ4_0 Quant = iota
	// QuantQ4_1 is q4_1.
	QuantQ4_1
	// QuantInt8 is int8, path B's default.
	QuantInt8
	// QuantFP16 is fp16.
	QuantFP16
	// QuantFP32 is fp32.
	QuantFP32
)

var quantNames = [...]string{"q4_0", "q4_1", "int8", "fp16", "fp32"}

// String is the lower-case name.
func (q Quant) String() string {
	if int(q) < len(quantNames) {
		return quantNames[q]
	}
	return fmt.Sprintf("quant(%d)", uint8(q))
}

// ParseQuant parses a quantisation name in any case.
func ParseQuant(s string) (Quant, bool) {
	for i, n := range quantNames {
		if strings.EqualFold(s, n) {
			return Quant(i), true
		}
	}
	return 0, false
}

// ModelMeta is the numeric current model that `llmctl load` path B sets.
type ModelMeta struct {
	ID        uint32
	Ctx       uint32
	Vocab     uint32
	Quant     Quant
	Name      string
	Rev       uint32
	SizeBytes uint64
}

// SecureModel is one entry of the 4-slot security store (load path A).
type SecureModel struct {
	ModelID    uint32
	SHA256     [32]byte
	Sig        []byte // nil without --sig
	SizeBytes  uint64
	VerifiedNs uint64
}

// AuditEntry is one record of the 32-entry LLM audit ring.
type AuditEntry struct {
	Op         uint8
	PromptLen  uint64
	Tokens     uint64
	WCETCycles uint64
	PeriodNs   uint64
	Status     uint8
	TsNs       uint64
}

// InferRecord is one entry of the 32-entry inference table.
type InferRecord struct {
	ID        uint64
	Stream    bool
	Tokens    uint64
	LatencyUs uint64
	Status    uint8
}

// Options configure a Governor. The zero value is the kernel's configuration.
type Options struct {
	// HashBytes, when non-nil, replaces the path A hashing of size-bytes
	// copies of (model & 0xFF); tests use it to avoid hashing 128 MiB.
	// Nil means the real computation.
	HashBytes func(model uint32, size uint64) [32]byte
	// RecordEvents queues one audit.Event per decision for Drain. Off, no
	// events are built (nobody would make them durable).
	RecordEvents bool
}

// Governor is the LLM governance state of one machine: the LLM's timing
// parameters, token budget windows, infer ids, the numeric current model and
// security store, the audit ring, the LLM scheduler once a budget exists,
// and the named model registry. It is a plain state machine: time comes in
// as arguments, results are returned, and every decision is queued as an
// audit.Event for the caller to make durable (Drain).
type Governor struct {
	opts Options

	wcetCycles   uint64
	periodNs     uint64
	limit        uint64 // max tokens per period; 0 = unlimited
	pace         uint32
	windowOpen   bool
	windowStart  uint64 // ns
	issued       uint64
	nextID       uint64
	rejects      uint64
	misses       uint64
	queueDepthHi uint64

	current    ModelMeta
	hasCurrent bool
	store      []SecureModel

	ring   [AuditCapacity]AuditEntry
	ringN  int
	ringAt int // next write position

	infers   [InferTableCapacity]InferRecord
	infersN  int
	infersAt int

	sched *sched.LLMScheduler

	reg registry

	events []audit.Event
}

// New returns a Governor with the kernel's defaults.
func New(opts Options) (*Governor, error) {
	return &Governor{
		opts:       opts,
		wcetCycles: DefaultWCETCycles,
		pace:       DefaultPace,
		nextID:     1,
	}, nil
}

// Status is a snapshot of the governance state.
type Status struct {
	WCETCycles         uint64
	WCETNs             uint64
	PeriodNs           uint64
	MaxTokensPerPeriod uint64
	PaceScale          uint32
	WindowOpen         bool
	WindowStartNs      uint64
	Issued             uint64
	NextInferID        uint64
	Rejects            uint64
	DeadlineMisses     uint64
	HasCurrent         bool
	Current            ModelMeta
	SecurityStore      []SecureModel
	// SchedulerExists is false until the first `llmctl budget`; Scheduler is
	// all zeros until then.
	SchedulerExists bool
	Scheduler       sched.LLMStatus
	Active          string // "" when none
	Rollback        string
	Shadow          string
}

// Status returns a copy of the state.
func (g *Governor) Status() Status {
	st := Status{
		WCETCycles:         g.wcetCycles,
		WCETNs:             clock.CyclesToNs(g.wcetCycles),
		PeriodNs:           g.periodNs,
		MaxTokensPerPeriod: g.limit,
		PaceScale:          g.pace,
		WindowOpen:         g.windowOpen,
		WindowStartNs:      g.windowStart,
		Issued:             g.issued,
		NextInferID:        g.nextID,
		Rejects:            g.rejects,
		DeadlineMisses:     g.misses,
		HasCurrent:         g.hasCurrent,
		Current:            g.current,
		Active:             g.reg.active,
		Rollback:           g.reg.rollback,
		Shadow:             g.reg.shadow,
	}
	for _, m := range g.store {
		m.Sig = append([]byte(nil), m.Sig...)
		st.SecurityStore = append(st.SecurityStore, m)
	}
	if g.sched != nil {
		st.SchedulerExists = true
		st.Scheduler = g.sched.Status()
	}
	return st
}

// Drain returns the audit events queued since the last Drain, oldest first,
// and empties the queue. The caller appends them to the durable journal.
func (g *Governor) Drain() []audit.Event {
	ev := g.events
	g.events = nil
	return ev
}

func (g *Governor) emit(kind string, tsNs uint64, fields ...audit.Field) {
	if !g.opts.RecordEvents {
		return
	}
	g.events = append(g.events, audit.Event{Kind: kind, TsNs: tsNs, Fields: fields})
}

// f builds an audit field.
func f(k string, v any) audit.Field { return audit.Field{Key: k, Value: v} }

// record appends an entry to the audit ring, dropping the oldest when full.
func (g *Governor) record(e AuditEntry) {
	g.ring[g.ringAt] = e
	g.ringAt = (g.ringAt + 1) % AuditCapacity
	if g.ringN < AuditCapacity {
		g.ringN++
	}
}

// Audit returns the audit ring, newest first.
func (g *Governor) Audit() []AuditEntry {
	out := make([]AuditEntry, 0, g.ringN)
	for i := 1; i <= g.ringN; i++ {
		out = append(out, g.ring[(g.ringAt-i+AuditCapacity)%AuditCapacity])
	}
	return out
}

func (g *Governor) recordInfer(r InferRecord) {
	g.infers[g.infersAt] = r
	g.infersAt = (g.infersAt + 1) % InferTableCapacity
	if g.infersN < InferTableCapacity {
		g.infersN++
	}
}

// Infers returns the inference table (the last 32 calls), newest first.
func (g *Governor) Infers() []InferRecord {
	out := make([]InferRecord, 0, g.infersN)
	for i := 1; i <= g.infersN; i++ {
		out = append(out, g.infers[(g.infersAt-i+InferTableCapacity)%InferTableCapacity])
	}
	return out
}

// LoadRequest is the parsed flags of `llmctl load`.
type LoadRequest struct {
	WCETCycles Opt[uint64]
	Model      Opt[uint32]
	Hash       Opt[[32]byte] // set only for a valid 64-digit hash
	Sig        Opt[[]byte]   // set only for a valid 128-digit signature
	Ctx        Opt[uint32]
	Vocab      Opt[uint32]
	Quant      Opt[Quant]
	Name       Opt[string]
	Rev        Opt[uint32]
	SizeBytes  Opt[uint64]
	// RegistryID is `--id NAME`: the named registry model to activate.
	RegistryID Opt[string]
}

// LoadPath names the path `llmctl load` took (governance.md §1.1).
type LoadPath uint8

// Load paths.
const (
	// PathPolicy: refused by the 128 MiB policy before any path.
	PathPolicy LoadPath = iota
	// PathVerify (A): --model with a valid --hash, SHA-256 verification.
	PathVerify
	// PathMeta (B): metadata flags, validated model becomes current.
	PathMeta
	// PathModel (C): --model only.
	PathModel
	// PathPlain (D): no model flags.
	PathPlain
)

// MetaReject is one invalid metadata field of path B.
type MetaReject struct {
	Field    string // ctx, vocab or size
	Value    uint64
	Min, Max uint64
}

// LoadResult is what `llmctl load` did.
type LoadResult struct {
	Path LoadPath
	// OK: the kernel prints "[LLM] model loaded".
	OK bool
	// HashMismatch (path A): the computed SHA-256 differs from --hash.
	HashMismatch bool
	// StoreFull (path A): verified, but the 4-slot store has no room for a
	// new model id.
	StoreFull bool
	// VerifyNs (path A, hash matched) is the modelled verification time; the
	// caller spends it on the clock.
	VerifyNs uint64
	// MetaRejects (path B) are the invalid fields, in the order ctx, vocab, size.
	MetaRejects []MetaReject
	// Registry is the activation of --id NAME after a successful load.
	Registry *ActivateResult
}

// Load runs `llmctl load` at now (governance.md §1.1, §3.2).
func (g *Governor) Load(now clock.Ticks, req LoadRequest) LoadResult {
	t := now.Ns()
	if req.SizeBytes.Set && req.SizeBytes.V > PolicyMaxBytes {
		g.emit("reject", t, f("op", "load"), f("reason", "policy_size"), f("size_bytes", req.SizeBytes.V), f("limit", uint64(PolicyMaxBytes)))
		return LoadResult{Path: PathPolicy}
	}
	var r LoadResult
	switch {
	case req.Model.Set && req.Hash.Set:
		r = g.loadVerify(now, req)
	case req.Ctx.Set || req.Vocab.Set || req.Quant.Set || req.Name.Set || req.Rev.Set || req.SizeBytes.Set:
		r = g.loadMeta(req)
	default:
		r = LoadResult{Path: PathPlain, OK: true}
		if req.Model.Set {
			r.Path = PathModel
		}
		if req.WCETCycles.Set {
			g.wcetCycles = req.WCETCycles.V
		}
	}
	// A counter reading (console.md §8): the caller spends VerifyNs on the
	// clock in whole ticks, so an odd size ends half a tick short of t + VerifyNs.
	ts := now.Add(clock.FromNs(r.VerifyNs)).Ns()
	status := uint8(StatusOK)
	if !r.OK {
		status = StatusReject
	}
	g.record(AuditEntry{Op: OpLoad, WCETCycles: g.wcetCycles, PeriodNs: g.periodNs, Status: status, TsNs: ts})
	if g.opts.RecordEvents {
		fields := []audit.Field{f("path", pathName(r.Path)), f("ok", r.OK), f("status", uint64(status)),
			f("wcet_cycles", g.wcetCycles), f("period_ns", g.periodNs)}
		if req.Model.Set {
			fields = append(fields, f("model", uint64(req.Model.V)))
		}
		switch {
		case r.HashMismatch:
			fields = append(fields, f("reason", "hash_mismatch"))
		case r.StoreFull:
			fields = append(fields, f("reason", "store_full"))
		case len(r.MetaRejects) > 0:
			fields = append(fields, f("reason", "meta_"+r.MetaRejects[0].Field))
		}
		g.emit("load", ts, fields...)
	}
	if r.OK && req.RegistryID.Set {
		size := uint64(0)
		if req.SizeBytes.Set {
			size = req.SizeBytes.V / 1024
		}
		a := g.activate(ts, req.RegistryID.V, size, req.Ctx.Or(DefaultCtx))
		r.Registry = &a
	}
	return r
}

func pathName(p LoadPath) string {
	return [...]string{"policy", "verify", "meta", "model", "plain"}[p]
}

// loadVerify is path A: hash size-bytes bytes of (model & 0xFF) and compare.
// The WCET is not applied.
func (g *Governor) loadVerify(now clock.Ticks, req LoadRequest) LoadResult {
	r := LoadResult{Path: PathVerify}
	size := req.SizeBytes.Or(DefaultHashBytes)
	var sum [32]byte
	if g.opts.HashBytes != nil {
		sum = g.opts.HashBytes(req.Model.V, size)
	} else {
		sum = ModelDigest(req.Model.V, size)
	}
	if sum != req.Hash.V {
		r.HashMismatch = true
		return r
	}
	r.VerifyNs = size * VerifyNsPerByte
	entry := SecureModel{ModelID: req.Model.V, SHA256: sum, SizeBytes: size, VerifiedNs: now.Add(clock.FromNs(r.VerifyNs)).Ns()}
	if req.Sig.Set {
		entry.Sig = append([]byte(nil), req.Sig.V...)
	}
	for i := range g.store {
		if g.store[i].ModelID == req.Model.V {
			g.store[i] = entry
			r.OK = true
			return r
		}
	}
	if len(g.store) >= SecuritySlots {
		r.StoreFull = true
		return r
	}
	g.store = append(g.store, entry)
	r.OK = true
	return r
}

// ModelDigest is the SHA-256 of size bytes all equal to model & 0xFF: the
// stand-in model image that path A verifies.
func ModelDigest(model uint32, size uint64) [32]byte {
	var block [4096]byte
	for i := range block {
		block[i] = byte(model)
	}
	h := sha256.New()
	for size > 0 {
		n := min(size, uint64(len(block)))
		h.Write(block[:n])
		size -= n
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// loadMeta is path B: apply the WCET (even when the model is invalid), then
// validate ctx, vocab and size; a valid model becomes current.
func (g *Governor) loadMeta(req LoadRequest) LoadResult {
	r := LoadResult{Path: PathMeta}
	if req.WCETCycles.Set {
		g.wcetCycles = req.WCETCycles.V
	}
	m := ModelMeta{
		ID:        req.Model.Or(0),
		Ctx:       req.Ctx.Or(DefaultCtx),
		Vocab:     req.Vocab.Or(DefaultVocab),
		Quant:     req.Quant.Or(QuantInt8),
		Name:      req.Name.Or(""),
		Rev:       req.Rev.Or(0),
		SizeBytes: req.SizeBytes.Or(DefaultModelBytes),
	}
	if m.Ctx < MinCtx || m.Ctx > MaxCtx {
		r.MetaRejects = append(r.MetaRejects, MetaReject{"ctx", uint64(m.Ctx), MinCtx, MaxCtx})
	}
	if m.Vocab < MinVocab || m.Vocab > MaxVocab {
		r.MetaRejects = append(r.MetaRejects, MetaReject{"vocab", uint64(m.Vocab), MinVocab, MaxVocab})
	}
	if m.SizeBytes > MaxModelBytes {
		r.MetaRejects = append(r.MetaRejects, MetaReject{"size", m.SizeBytes, 1, MaxModelBytes})
	}
	if len(r.MetaRejects) == 0 {
		g.current, g.hasCurrent = m, true
		r.OK = true
	}
	return r
}

// BudgetRequest is the parsed flags of `llmctl budget`.
type BudgetRequest struct {
	WCETCycles         Opt[uint64]
	PeriodNs           Opt[uint64]
	MaxTokensPerPeriod Opt[uint64]
}

// BudgetResult is what `llmctl budget` did.
type BudgetResult struct {
	// SchedulerCreated: this was the first budget.
	SchedulerCreated bool
	Admission        sched.LLMAdmitResult
}

// Budget runs `llmctl budget` at now: set the given fields (a period also
// closes the window: start 0, issued 0), create the LLM scheduler on first
// use, and run admission with the current WCET and period (§2.2). No ring
// entry, as in the kernel; the journal records it.
func (g *Governor) Budget(now clock.Ticks, req BudgetRequest) BudgetResult {
	if req.WCETCycles.Set {
		g.wcetCycles = req.WCETCycles.V
	}
	if req.PeriodNs.Set {
		g.periodNs = req.PeriodNs.V
		g.windowOpen, g.windowStart, g.issued = false, 0, 0
	}
	if req.MaxTokensPerPeriod.Set {
		g.limit = req.MaxTokensPerPeriod.V
	}
	var r BudgetResult
	if g.sched == nil {
		g.sched = sched.NewLLMScheduler()
		r.SchedulerCreated = true
	}
	r.Admission = g.sched.Admit(now, clock.CyclesToNs(g.wcetCycles), g.periodNs)
	st := g.sched.Status()
	g.emit("budget", now.Ns(), f("wcet_cycles", g.wcetCycles), f("period_ns", g.periodNs),
		f("max_tokens_per_period", g.limit), f("util_ppm", uint64(r.Admission.UtilPPM)),
		f("admitted", r.Admission.Admitted), f("server_created", r.Admission.ServerCreated),
		f("used_ppm", uint64(st.UsedPPM)), f("accepted", st.Accepted), f("rejected", st.Rejected))
	return r
}

// SetPace sets the pacing scale in percent (`llmctl pace --scale N`).
func (g *Governor) SetPace(now clock.Ticks, scale uint64) error {
	if scale < MinPace || scale > MaxPace {
		return fmt.Errorf("%w: %d%% (allowed %d..%d)", ErrPaceRange, scale, MinPace, MaxPace)
	}
	g.pace = uint32(scale)
	g.emit("pace", now.Ns(), f("scale_percent", scale))
	return nil
}
