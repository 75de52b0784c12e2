package governance

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/sisemu/sisemu/sched/clock"
)

func newGov(t testing.TB) *Governor {
	t.Helper()
	g, err := New(Options{RecordEvents: true})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func ms(n uint64) clock.Ticks { return clock.FromMs(n) }

// budget sets wcet 50,000 cycles, a 1 s period and the given limit.
func budget(g *Governor, now clock.Ticks, limit uint64) BudgetResult {
	return g.Budget(now, BudgetRequest{WCETCycles: Some[uint64](50_000), PeriodNs: Some[uint64](1_000_000_000), MaxTokensPerPeriod: Some(limit)})
}

func infer(g *Governor, now clock.Ticks, prompt string, maxTokens uint64) InferResult {
	return g.Infer(now, InferRequest{Prompt: prompt, MaxTokens: Some(maxTokens)})
}

// governance.md §2.1: limit 10; two 5-token requests emitting 2 each leave
// issued at 4; a third request for 5 passes (9 <= 10).
func TestBudgetExample(t *testing.T) {
	g := newGov(t)
	budget(g, 0, 10)
	for i := 0; i < 2; i++ {
		if r := infer(g, ms(uint64(1+i)), "two words", 5); r.Rejected || len(r.Tokens) != 2 {
			t.Fatalf("request %d: %+v", i+1, r)
		}
	}
	if st := g.Status(); st.Issued != 4 {
		t.Fatalf("issued %d, want 4 (only emitted tokens count)", st.Issued)
	}
	if r := infer(g, ms(3), "x", 5); r.Rejected {
		t.Fatalf("third request rejected: %+v", r.Reject)
	}
}

// The limit is inclusive: issued + requested == limit passes, one more is
// rejected with the numbers of the rejection line.
func TestBudgetLimitExactlyReached(t *testing.T) {
	g := newGov(t)
	budget(g, 0, 10)
	infer(g, ms(1), "a b c d e f", 6) // issued 6
	if r := infer(g, ms(2), "a b c d", 4); r.Rejected {
		t.Fatal("6 + 4 = 10 rejected")
	}
	r := infer(g, ms(3), "a", 1)
	want := BudgetReject{Issued: 10, Requested: 1, Limit: 10, PeriodNs: 1_000_000_000}
	if !r.Rejected || r.Reject != want || r.Status != StatusReject || len(r.Tokens) != 0 || r.ActualNs != 0 {
		t.Fatalf("10 + 1 > 10: %+v", r)
	}
	if r.ID != 3 || r.Rejects != 1 {
		t.Fatalf("rejected call id %d rejects %d, want 3 and 1", r.ID, r.Rejects)
	}
	if st := g.Status(); st.NextInferID != 4 || st.Issued != 10 {
		t.Fatalf("status %+v", st)
	}
	// Without --max-tokens the request is for 64.
	g2 := newGov(t)
	budget(g2, 0, 63)
	if r := g2.Infer(0, InferRequest{Prompt: "hi"}); !r.Rejected || r.Reject.Requested != 64 {
		t.Fatalf("default request: %+v", r)
	}
}

// The window opens at the first request and reopens when now - start >=
// period, on the virtual clock; a new --period-ns closes it.
func TestBudgetWindowRollover(t *testing.T) {
	g := newGov(t)
	budget(g, 0, 4)
	start := ms(10)
	infer(g, start, "a b c d", 4)
	if r := infer(g, start+ms(999), "a", 1); !r.Rejected {
		t.Fatal("request inside the full window admitted")
	}
	st := g.Status()
	if !st.WindowOpen || st.WindowStartNs != start.Ns() || st.Issued != 4 {
		t.Fatalf("window %+v", st)
	}
	// Exactly one period later: a new window.
	if r := infer(g, start+clock.Second, "a b", 4); r.Rejected {
		t.Fatalf("request at start + period rejected: %+v", r.Reject)
	}
	if st := g.Status(); st.WindowStartNs != (start+clock.Second).Ns() || st.Issued != 2 {
		t.Fatalf("after rollover %+v", st)
	}
	g.Budget(ms(2000), BudgetRequest{PeriodNs: Some[uint64](500_000_000)})
	if st := g.Status(); st.WindowOpen || st.Issued != 0 {
		t.Fatalf("--period-ns did not reset the window: %+v", st)
	}
	// Without a period there is no quota at all.
	g3 := newGov(t)
	g3.Budget(0, BudgetRequest{MaxTokensPerPeriod: Some[uint64](1)})
	if r := infer(g3, 0, "a b c", 3); r.Rejected {
		t.Fatal("quota applied without a period")
	}
}

// Admission through `llmctl budget`: 1,062 budgets of 50,000 cycles per 1 s
// are admitted, the 1,063rd is not; 25,000 cycles per 1 ms: the third is
// rejected.
func TestBudgetAdmissionCounts(t *testing.T) {
	g := newGov(t)
	for i := 1; i <= 1062; i++ {
		if r := budget(g, ms(uint64(i)), 0); !r.Admission.Admitted || r.SchedulerCreated != (i == 1) {
			t.Fatalf("budget %d: %+v", i, r)
		}
	}
	if r := budget(g, ms(1063), 0); r.Admission.Admitted {
		t.Fatal("budget 1063 admitted")
	}
	st := g.Status().Scheduler
	if st.UsedPPM != 849_600 || st.Accepted != 1062 || st.Rejected != 1 || st.Servers != 4 {
		t.Fatalf("scheduler %+v", st)
	}

	g = newGov(t)
	var got []bool
	for i := 0; i < 3; i++ {
		got = append(got, g.Budget(0, BudgetRequest{PeriodNs: Some[uint64](1_000_000)}).Admission.Admitted)
	}
	if !reflect.DeepEqual(got, []bool{true, true, false}) {
		t.Fatalf("25,000 cycles per 1 ms: %v", got)
	}
	if st := g.Status().Scheduler; st.UsedPPM != 800_000 || st.Accepted != 2 || st.Rejected != 1 {
		t.Fatalf("scheduler %+v", st)
	}
}

// The scheduler counters stay zero until the first budget; infer does not
// create the scheduler.
func TestSchedulerOnlyAfterBudget(t *testing.T) {
	g := newGov(t)
	r := infer(g, 0, "hello", 8)
	if r.SchedulerExists || g.Status().SchedulerExists {
		t.Fatal("scheduler exists before any budget")
	}
	g.Budget(ms(1), BudgetRequest{PeriodNs: Some[uint64](1_000_000_000)})
	r = infer(g, ms(2), "hello", 8)
	if !r.SchedulerExists || !r.Charged || r.Scheduler.InferTotal != 1 || r.Scheduler.JitterSamples != 1 {
		t.Fatalf("%+v", r)
	}
}

func TestTokenizeAndTiming(t *testing.T) {
	g := newGov(t)
	g.Load(0, LoadRequest{WCETCycles: Some[uint64](50_000)})
	r := infer(g, 0, "hello world from sis shell", 8)
	if !reflect.DeepEqual(r.Tokens, []string{"hello", "world", "from", "sis", "shell"}) || r.PromptLen != 26 {
		t.Fatalf("%+v", r)
	}
	// 800,000 / 8 = 100,000 ns per token, 5 tokens.
	if r.PerTokenNs != 100_000 || r.ActualNs != 500_000 || r.Missed || r.LatencyUs() != 500 || r.EndNs != 500_000 {
		t.Fatalf("timing %+v", r)
	}
	if got := Tokenize("'test prompt' ABC\tx\xffy", 64); !reflect.DeepEqual(got, []string{"?test", "prompt?", "abc", "x?y"}) {
		t.Fatalf("Tokenize: %q", got)
	}
	if got := Tokenize("a b c d", 2); len(got) != 2 {
		t.Fatalf("cap: %q", got)
	}
	// --max-tokens 0 is the default 64.
	if r := g.Infer(0, InferRequest{Prompt: "a", MaxTokens: Some[uint64](0)}); r.Cap != 64 {
		t.Fatalf("cap %d", r.Cap)
	}
}

// Status bits: 1 ok, 2 reject, 4 miss, 5 ok + miss; a miss needs a pace
// above 100 % (actual > wcet).
func TestAuditStatusBits(t *testing.T) {
	g := newGov(t)
	g.Load(0, LoadRequest{WCETCycles: Some[uint64](50_000)}) // op 1 status 1
	g.Load(ms(1), LoadRequest{Ctx: Some[uint32](0)})         // op 1 status 2
	infer(g, ms(2), "a b", 2)                                // status 1
	if err := g.SetPace(ms(3), 200); err != nil {            // 200 %: 2 tokens of 400,000 ns each
		t.Fatal(err)
	}
	r := infer(g, ms(4), "a b", 2)
	if !r.Missed || r.ActualNs != 1_600_000 || r.Status != StatusOK|StatusMiss || r.DeadlineMisses != 1 {
		t.Fatalf("paced infer %+v", r)
	}
	budget(g, ms(5), 1)
	infer(g, ms(6), "a b", 2) // rejected: status 2
	var got []uint8
	for _, e := range g.Audit() {
		got = append(got, e.Status)
	}
	if !reflect.DeepEqual(got, []uint8{2, 5, 1, 2, 1}) {
		t.Fatalf("statuses newest first %v, want [2 5 1 2 1]", got)
	}
	if got[1]&StatusMiss == 0 {
		t.Fatal("bit 4 not set on a miss")
	}
	if err := g.SetPace(0, 49); !errors.Is(err, ErrPaceRange) {
		t.Fatalf("pace 49: %v", err)
	}
	if err := g.SetPace(0, 501); !errors.Is(err, ErrPaceRange) {
		t.Fatalf("pace 501: %v", err)
	}
}

// The ring keeps 32 entries: the 33rd drops the oldest.
func TestAuditRingEviction(t *testing.T) {
	g := newGov(t)
	for i := 1; i <= 33; i++ {
		g.Infer(ms(uint64(i)), InferRequest{Prompt: strings.Repeat("x", i)})
	}
	a := g.Audit()
	if len(a) != 32 {
		t.Fatalf("%d entries", len(a))
	}
	if a[0].PromptLen != 33 || a[31].PromptLen != 2 {
		t.Fatalf("newest %d oldest %d, want 33 and 2", a[0].PromptLen, a[31].PromptLen)
	}
	if in := g.Infers(); len(in) != 32 || in[0].ID != 33 || in[31].ID != 2 {
		t.Fatalf("infer table %d entries, newest %d", len(in), in[0].ID)
	}
}

// Q3: the policy uses `>`: 134,217,728 bytes passes it and fails the 64 MiB
// metadata limit (with a ring entry of status 2); one byte more is refused
// by the policy with no ring entry and no WCET change.
func TestPolicyBoundary(t *testing.T) {
	g := newGov(t)
	r := g.Load(0, LoadRequest{Model: Some[uint32](7), Ctx: Some[uint32](512), SizeBytes: Some[uint64](134_217_728), WCETCycles: Some[uint64](40_000)})
	want := []MetaReject{{"size", 134_217_728, 1, MaxModelBytes}}
	if r.Path != PathMeta || r.OK || !reflect.DeepEqual(r.MetaRejects, want) {
		t.Fatalf("128 MiB: %+v", r)
	}
	if a := g.Audit(); len(a) != 1 || a[0].Status != StatusReject || a[0].WCETCycles != 40_000 {
		t.Fatalf("ring %+v (wcet applied even though invalid)", a)
	}
	r = g.Load(0, LoadRequest{Ctx: Some[uint32](512), SizeBytes: Some[uint64](134_217_729), WCETCycles: Some[uint64](1)})
	if r.Path != PathPolicy || r.OK {
		t.Fatalf("128 MiB + 1: %+v", r)
	}
	if len(g.Audit()) != 1 || g.Status().WCETCycles != 40_000 {
		t.Fatal("policy rejection changed state")
	}
	ev := g.Drain()
	if last := ev[len(ev)-1]; last.Kind != "reject" || fmt.Sprint(last.Fields[1].Value) != "policy_size" {
		t.Fatalf("journal event %+v", last)
	}
}

func TestLoadPaths(t *testing.T) {
	g := newGov(t)
	// B with defaults: valid, becomes current.
	r := g.Load(0, LoadRequest{Model: Some[uint32](7), Ctx: Some[uint32](2048), Vocab: Some[uint32](50_000), Quant: Some(QuantInt8), SizeBytes: Some[uint64](1_048_576)})
	st := g.Status()
	if r.Path != PathMeta || !r.OK || !st.HasCurrent || st.Current != (ModelMeta{ID: 7, Ctx: 2048, Vocab: 50_000, Quant: QuantInt8, SizeBytes: 1_048_576}) {
		t.Fatalf("%+v %+v", r, st.Current)
	}
	// B invalid in every field: one reject per field, ctx, vocab, size.
	r = g.Load(0, LoadRequest{Ctx: Some[uint32](8193), Vocab: Some[uint32](999), SizeBytes: Some[uint64](MaxModelBytes + 1)})
	if len(r.MetaRejects) != 3 || r.MetaRejects[0].Field != "ctx" || r.MetaRejects[1] != (MetaReject{"vocab", 999, 1000, 500_000}) || r.MetaRejects[2].Field != "size" {
		t.Fatalf("%+v", r.MetaRejects)
	}
	if g.Status().Current.ID != 7 {
		t.Fatal("an invalid model replaced the current one")
	}
	// C: --model only applies the WCET.
	if r := g.Load(0, LoadRequest{Model: Some[uint32](3), WCETCycles: Some[uint64](60_000)}); r.Path != PathModel || !r.OK || g.Status().WCETCycles != 60_000 {
		t.Fatalf("path C %+v", r)
	}
	// A: the hash of 1024 bytes of 0x07; the WCET is not applied.
	h := ModelDigest(7, 1024)
	r = g.Load(0, LoadRequest{Model: Some[uint32](7), Hash: Some(h), WCETCycles: Some[uint64](1)})
	if r.Path != PathVerify || !r.OK || r.VerifyNs != 1024*VerifyNsPerByte || g.Status().WCETCycles != 60_000 {
		t.Fatalf("path A %+v", r)
	}
	bad := h
	bad[0] ^= 1
	r = g.Load(0, LoadRequest{Model: Some[uint32](7), Hash: Some(bad)})
	if !r.HashMismatch || r.OK || g.Audit()[0].Status != StatusReject {
		t.Fatalf("mismatch %+v", r)
	}
	// The store holds 4 model ids; a reload of a stored id replaces it.
	for id := uint32(8); id <= 10; id++ {
		if r := g.Load(0, LoadRequest{Model: Some(id), Hash: Some(ModelDigest(id, 1024))}); !r.OK {
			t.Fatalf("store id %d: %+v", id, r)
		}
	}
	if r := g.Load(0, LoadRequest{Model: Some[uint32](7), Hash: Some(h)}); !r.OK {
		t.Fatal("reload of a stored id failed")
	}
	r = g.Load(0, LoadRequest{Model: Some[uint32](11), Hash: Some(ModelDigest(11, 1024))})
	if !r.StoreFull || r.OK || len(g.Status().SecurityStore) != 4 {
		t.Fatalf("fifth id %+v", r)
	}
	if ModelDigest(0x107, 5000) != ModelDigest(7, 5000) {
		t.Fatal("digest must use model & 0xFF")
	}
}

func TestStreamChunks(t *testing.T) {
	g := newGov(t)
	g.Load(0, LoadRequest{WCETCycles: Some[uint64](50_000)})
	r := g.Infer(0, InferRequest{Prompt: "a b c d e", Stream: true, MaxTokens: Some[uint64](8)})
	var sizes []int
	for _, c := range r.Chunks {
		sizes = append(sizes, len(c.Tokens))
	}
	if !reflect.DeepEqual(sizes, []int{2, 2, 1}) || !r.Chunks[2].Trailing || r.Chunks[1].Upto != 4 {
		t.Fatalf("chunks %+v", r.Chunks)
	}
	if r.PaceUsed != 100 || r.PaceAfter != 95 || g.Status().PaceScale != 95 {
		t.Fatalf("pace %d -> %d", r.PaceUsed, r.PaceAfter)
	}
	// Chunk ends at the cap even when it is not a multiple of the chunk size.
	r = g.Infer(0, InferRequest{Prompt: "a b c d e", Stream: true, MaxTokens: Some[uint64](3), Chunk: Some[uint64](2)})
	if len(r.Chunks) != 2 || r.Chunks[1].Trailing || r.Chunks[1].Upto != 3 {
		t.Fatalf("cap chunks %+v", r.Chunks)
	}
	// Per-token quota: 3 tokens left in the window, the stream is cut.
	budget(g, 0, 3)
	r = g.Infer(ms(1), InferRequest{Prompt: "a b c d e", Stream: true})
	if !r.Cut || len(r.Tokens) != 3 || r.Status != StatusOK|StatusReject || r.Reject.Issued != 3 || r.Rejects != 1 {
		t.Fatalf("cut stream %+v", r)
	}
	if r.PaceAfter != r.PaceUsed+10 {
		t.Fatalf("pressure pace %d -> %d", r.PaceUsed, r.PaceAfter)
	}
	r = g.Infer(ms(2), InferRequest{Prompt: "a", Stream: true})
	if !r.Rejected || r.Status != StatusReject || r.Charged {
		t.Fatalf("stream with no budget left %+v", r)
	}
	if g.Audit()[0].Op != OpStream {
		t.Fatal("stream not audited as op 4")
	}
	// Q9: wcet 0 prints no_wcet and never counts a miss.
	g2 := newGov(t)
	g2.Load(0, LoadRequest{WCETCycles: Some[uint64](0)})
	if r := g2.Infer(0, InferRequest{Prompt: "a b", Stream: true}); r.Missed || r.DeadlineMisses != 0 || r.ActualNs != 0 {
		t.Fatalf("wcet 0 %+v", r)
	}
}

// Every decision is queued for the journal, in order.
func TestDrainEvents(t *testing.T) {
	g := newGov(t)
	g.Load(0, LoadRequest{WCETCycles: Some[uint64](50_000)})
	budget(g, ms(1), 1)
	infer(g, ms(2), "a", 1)
	infer(g, ms(3), "a", 1)
	g.Register(ms(4), "m", Some[uint64](1), Some[uint64](2048))
	var kinds []string
	for _, e := range g.Drain() {
		kinds = append(kinds, e.Kind)
	}
	if strings.Join(kinds, ",") != "load,budget,infer,reject,register" {
		t.Fatalf("events %v", kinds)
	}
	if len(g.Drain()) != 0 {
		t.Fatal("Drain did not empty the queue")
	}
}

// G1: a window opened at tick 0 is not reopened by the next request (the
// kernel's "start = 0" test would reset it every time).
func TestWindowOpenedAtTickZero(t *testing.T) {
	g := newGov(t)
	g.Budget(0, BudgetRequest{PeriodNs: Some[uint64](1_000_000_000), MaxTokensPerPeriod: Some[uint64](2)})
	if r := infer(g, 0, "a b", 2); r.Rejected {
		t.Fatal("first request rejected")
	}
	if r := infer(g, ms(1), "c", 1); !r.Rejected || r.Reject.Issued != 2 {
		t.Fatalf("window opened at tick 0 was reopened: %+v", r)
	}
}

// The kernel audits every llmstream as op 4 status 1. The reference records
// what happened, with the §2.3 bits (docs/divergences.md G3): 1 served,
// 5 served late, 3 cut by the budget after some tokens, 2 refused before
// the first token.
func TestStreamAuditStatus(t *testing.T) {
	g := newGov(t)
	g.Load(0, LoadRequest{WCETCycles: Some[uint64](50_000)})
	stream := func(now clock.Ticks, prompt string) InferResult {
		return g.Infer(now, InferRequest{Prompt: prompt, Stream: true, MaxTokens: Some[uint64](2)})
	}
	if r := stream(ms(1), "a b"); r.Status != StatusOK {
		t.Fatalf("served stream status %d", r.Status)
	}
	if err := g.SetPace(ms(2), 200); err != nil {
		t.Fatal(err)
	}
	if r := stream(ms(3), "a b"); !r.Missed || r.Status != StatusOK|StatusMiss {
		t.Fatalf("late stream %+v", r)
	}
	if err := g.SetPace(ms(4), 100); err != nil { // the late stream raised it to 210
		t.Fatal(err)
	}
	budget(g, ms(4), 1)
	if r := stream(ms(5), "a b"); !r.Cut || r.Status != StatusOK|StatusReject {
		t.Fatalf("cut stream %+v", r)
	}
	if r := stream(ms(6), "a"); !r.Rejected || r.Status != StatusReject {
		t.Fatalf("refused stream %+v", r)
	}
	var got []uint8
	for _, e := range g.Audit() {
		if e.Op == OpStream {
			got = append(got, e.Status)
		}
	}
	if !reflect.DeepEqual(got, []uint8{2, 3, 5, 1}) {
		t.Fatalf("stream statuses newest first %v, want [2 3 5 1]", got)
	}
}

// The WCET flag is a u64, so the pacing arithmetic must not wrap: per-token
// time floor(floor(wcet_ns / cap) × pace / 100) and tokens × that time are
// computed without overflow (saturating at 2^64−1 ns).
func TestPacingDoesNotWrap(t *testing.T) {
	g := newGov(t)
	g.Load(0, LoadRequest{WCETCycles: Some[uint64](^uint64(0))}) // wcet_ns saturates at 2^64−1
	wcet := g.Status().WCETNs
	if wcet != ^uint64(0) {
		t.Fatalf("wcet_ns %d", wcet)
	}
	r := infer(g, 0, "a b", 2)
	if r.PerTokenNs != wcet/2 || r.ActualNs != wcet/2*2 || r.Missed || r.Status != StatusOK {
		t.Fatalf("pace 100: per token %d actual %d missed %v, want %d, %d, false", r.PerTokenNs, r.ActualNs, r.Missed, wcet/2, wcet/2*2)
	}
	// wcet 2^62 ns, cap 2, pace 500 %: 2^61 × 500 does not fit in 64 bits,
	// the per-token time 5 × 2^61 does; two tokens saturate and miss.
	g = newGov(t)
	g.Load(0, LoadRequest{WCETCycles: Some[uint64](1 << 58)})
	if err := g.SetPace(0, 500); err != nil {
		t.Fatal(err)
	}
	r = infer(g, 0, "a b", 2)
	if r.PerTokenNs != 5<<61 || r.ActualNs != ^uint64(0) || !r.Missed || r.Status != StatusOK|StatusMiss {
		t.Fatalf("pace 500: per token %d actual %d missed %v, want %d, 2^64-1, true", r.PerTokenNs, r.ActualNs, r.Missed, uint64(5<<61))
	}
}

// --max-tokens is a u64: issued + requested must not wrap past the limit
// check (2 + (2^64−1) wraps to 1, which would pass a limit of 10).
func TestBudgetRequestDoesNotWrap(t *testing.T) {
	g := newGov(t)
	budget(g, 0, 10)
	infer(g, ms(1), "a b", 5) // issued 2
	r := infer(g, ms(2), "a b c", ^uint64(0))
	want := BudgetReject{Issued: 2, Requested: ^uint64(0), Limit: 10, PeriodNs: 1_000_000_000}
	if !r.Rejected || r.Reject != want || len(r.Tokens) != 0 {
		t.Fatalf("request for 2^64-1 tokens with 2 issued: %+v", r)
	}
	if st := g.Status(); st.Issued != 2 {
		t.Fatalf("issued %d after the rejection", st.Issued)
	}
}
