package governance

import (
	"math/bits"

	"github.com/sisemu/sisemu/governance/audit"
	"github.com/sisemu/sisemu/sched"
	"github.com/sisemu/sisemu/sched/clock"
)

// DefaultChunk is llmstream's chunk size without --chunk.
const DefaultChunk = 2

// InferRequest is one `llminfer` or `llmstream` call.
type InferRequest struct {
	// Prompt is the prompt text: the first 32 non-flag words joined by one space.
	Prompt string
	// MaxTokens is --max-tokens; unset or 0 means DefaultMaxTokens.
	MaxTokens Opt[uint64]
	// Stream selects llmstream semantics (per-token quota, chunks, auto-pace).
	Stream bool
	// Chunk is llmstream's --chunk; unset or 0 means DefaultChunk.
	Chunk Opt[uint64]
}

// BudgetReject describes a token-budget rejection (governance.md §3.2).
type BudgetReject struct {
	Issued, Requested, Limit, PeriodNs uint64
}

// Chunk is one llmstream chunk.
type Chunk struct {
	// Upto is the number of tokens emitted when the chunk was flushed.
	Upto int
	// Tokens are the chunk's tokens.
	Tokens []string
	// Trailing marks the last, partial chunk that the kernel drops (Q9).
	Trailing bool
}

// InferResult is what one inference did.
type InferResult struct {
	ID        uint64
	Stream    bool
	PromptLen uint64
	// Cap is the token cap: --max-tokens, or 64.
	Cap uint64
	// Rejected: llminfer refused by the budget, or llmstream stopped by it
	// before its first token. Nothing ran.
	Rejected bool
	// Cut: llmstream stopped by the budget after at least one token.
	Cut    bool
	Reject BudgetReject
	// Tokens are the emitted tokens, normalised (A-Z lower-cased, a-z and
	// 0-9 kept, any other byte '?').
	Tokens     []string
	PerTokenNs uint64
	ActualNs   uint64
	WCETNs     uint64
	// Missed: actual > wcet with a non-zero wcet.
	Missed bool
	// Cumulative counters after this call.
	Rejects        uint64
	DeadlineMisses uint64
	QueueDepthMax  uint64
	// Stream only.
	Chunks    []Chunk
	PaceUsed  uint32
	PaceAfter uint32
	// SchedulerExists: an `llmctl budget` has created the LLM scheduler;
	// then Decision is this call's decision (when something ran) and
	// Scheduler the counters after it.
	SchedulerExists bool
	Charged         bool
	Decision        sched.LLMDecision
	Scheduler       sched.LLMStatus
	// Status is the audit status bits (1 ok, 2 reject, 4 miss).
	Status uint8
	// EndNs is when the inference finished (the audit timestamp).
	EndNs uint64
}

// LatencyUs is the reported latency: actual ns / 1000.
func (r InferResult) LatencyUs() uint64 { return r.ActualNs / 1000 }

// Tokenize splits a prompt into the model's tokens: maximal runs of bytes
// above 0x20, at most limit of them, each normalised byte by byte. The
// tokens share one allocation.
func Tokenize(prompt string, limit uint64) []string {
	norm := make([]byte, len(prompt))
	for k := 0; k < len(prompt); k++ {
		c := prompt[k]
		switch {
		case c <= 0x20:
			c = ' '
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		default:
			c = '?'
		}
		norm[k] = c
	}
	all := string(norm)
	var out []string
	for i := 0; i < len(prompt) && uint64(len(out)) < limit; {
		if prompt[i] <= 0x20 {
			i++
			continue
		}
		j := i
		for j < len(prompt) && prompt[j] > 0x20 {
			j++
		}
		if out == nil {
			out = make([]string, 0, min(limit, uint64(len(prompt)/2+1)))
		}
		out = append(out, all[i:j])
		i = j
	}
	return out
}

// openWindow opens a new quota window at t if none is open or the period
// has passed (§2.1). Only with a period.
func (g *Governor) openWindow(t uint64) {
	if g.periodNs == 0 {
		return
	}
	if !g.windowOpen || t-g.windowStart >= g.periodNs {
		g.windowOpen, g.windowStart, g.issued = true, t, 0
	}
}

// Infer runs one `llminfer` or `llmstream` at now (governance.md §1.2, §1.3,
// §2.1). The caller spends ActualNs on the clock.
func (g *Governor) Infer(now clock.Ticks, req InferRequest) InferResult {
	t := now.Ns()
	r := InferResult{
		ID:        g.nextID,
		Stream:    req.Stream,
		PromptLen: uint64(len(req.Prompt)),
		Cap:       DefaultMaxTokens,
		WCETNs:    clock.CyclesToNs(g.wcetCycles),
		PaceUsed:  g.pace,
		PaceAfter: g.pace,
	}
	g.nextID++
	if req.MaxTokens.Set && req.MaxTokens.V > 0 {
		r.Cap = req.MaxTokens.V
	}
	g.openWindow(t)
	words := Tokenize(req.Prompt, r.Cap)
	if req.Stream {
		g.stream(&r, req, words)
	} else if g.periodNs > 0 && g.limit > 0 && (r.Cap > g.limit || g.issued > g.limit-r.Cap) { // issued + cap > limit, without wrapping
		r.Rejected = true
		r.Reject = BudgetReject{Issued: g.issued, Requested: r.Cap, Limit: g.limit, PeriodNs: g.periodNs}
	} else {
		r.Tokens = words
	}
	if r.Rejected || r.Cut {
		g.rejects++
	}
	n := uint64(len(r.Tokens))
	r.PerTokenNs = mulDivSat(r.WCETNs/r.Cap, uint64(g.pace), 100)
	r.ActualNs = mulDivSat(n, r.PerTokenNs, 1)
	// Timestamps are counter readings (console.md §8): the clock moves in
	// whole 16 ns ticks, so the end is the tick the caller's clock reaches
	// after spending ActualNs, not t + ActualNs.
	r.EndNs = now.Add(clock.FromNs(r.ActualNs)).Ns()
	r.Missed = !r.Rejected && r.WCETNs > 0 && r.ActualNs > r.WCETNs
	if !r.Rejected {
		g.issued += n
		g.queueDepthHi = max(g.queueDepthHi, 1)
		r.Status = StatusOK
		if r.Missed {
			g.misses++
			r.Status |= StatusMiss
		}
	}
	if r.Rejected || r.Cut {
		r.Status |= StatusReject
	}
	if req.Stream {
		if r.Cut || r.Rejected || r.Missed {
			r.PaceAfter = min(g.pace+10, MaxPace)
		} else {
			r.PaceAfter = max(g.pace-5, MinPace)
		}
		g.pace = r.PaceAfter
	}
	if g.sched != nil {
		r.SchedulerExists = true
		if !r.Rejected {
			r.Charged = true
			r.Decision = g.sched.Infer(now, r.ActualNs, r.WCETNs)
		}
		r.Scheduler = g.sched.Status()
	}
	r.Rejects, r.DeadlineMisses, r.QueueDepthMax = g.rejects, g.misses, g.queueDepthHi

	op := uint8(OpInfer)
	kind := "infer"
	if req.Stream {
		op, kind = OpStream, "stream"
	}
	g.record(AuditEntry{Op: op, PromptLen: r.PromptLen, Tokens: n, WCETCycles: g.wcetCycles, PeriodNs: g.periodNs, Status: r.Status, TsNs: r.EndNs})
	g.recordInfer(InferRecord{ID: r.ID, Stream: req.Stream, Tokens: n, LatencyUs: r.LatencyUs(), Status: r.Status})
	if g.opts.RecordEvents {
		fields := []audit.Field{f("op", kind), f("id", r.ID), f("prompt_len", r.PromptLen), f("cap", r.Cap),
			f("tokens", n), f("actual_ns", r.ActualNs), f("wcet_ns", r.WCETNs), f("status", uint64(r.Status)),
			f("issued", g.issued), f("limit", g.limit), f("period_ns", g.periodNs)}
		if req.Stream {
			fields = append(fields, f("chunks", uint64(len(r.Chunks))), f("pace_percent", uint64(r.PaceAfter)))
		}
		if r.Rejected {
			fields = append(fields, f("reason", "budget"), f("requested", r.Reject.Requested))
			g.emit("reject", r.EndNs, fields...)
		} else {
			g.emit(kind, r.EndNs, fields...)
		}
	}
	return r
}

// stream applies llmstream's per-token quota and chunking.
func (g *Governor) stream(r *InferResult, req InferRequest, words []string) {
	chunk := uint64(DefaultChunk)
	if req.Chunk.Set && req.Chunk.V > 0 {
		chunk = req.Chunk.V
	}
	last := 0
	for _, w := range words {
		if g.periodNs > 0 && g.limit > 0 && g.issued+uint64(len(r.Tokens))+1 > g.limit {
			r.Reject = BudgetReject{Issued: g.issued + uint64(len(r.Tokens)), Requested: 1, Limit: g.limit, PeriodNs: g.periodNs}
			if len(r.Tokens) == 0 {
				r.Rejected = true
			} else {
				r.Cut = true
			}
			break
		}
		r.Tokens = append(r.Tokens, w)
		n := uint64(len(r.Tokens))
		if n%chunk == 0 || n == r.Cap {
			r.Chunks = append(r.Chunks, Chunk{Upto: len(r.Tokens), Tokens: r.Tokens[last:]})
			last = len(r.Tokens)
		}
	}
	if last < len(r.Tokens) {
		r.Chunks = append(r.Chunks, Chunk{Upto: len(r.Tokens), Tokens: r.Tokens[last:], Trailing: true})
	}
}

// mulDivSat is floor(a × b / d) in 128-bit arithmetic, saturating at
// 2^64−1: the WCET is a u64 flag, so pacing must not wrap.
func mulDivSat(a, b, d uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	if hi >= d {
		return ^uint64(0)
	}
	q, _ := bits.Div64(hi, lo, d)
	return q
}
