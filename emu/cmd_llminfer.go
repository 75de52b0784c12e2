package emu

import (
	"strings"

	"github.com/sisemu/sisemu/governance"
	"github.com/sisemu/sisemu/sched/clock"
)

// llmMaxPromptWords is how many prompt words llminfer and llmstream keep.
const llmMaxPromptWords = 32

func init() {
	register(Command{
		Name:    "llminfer",
		Summary: "Run one LLM inference under the token budget and WCET",
		Usage:   []string{"Usage: llminfer <prompt text> [--max-tokens N]"},
		Run:     func(m *Machine, c *Ctx) { runLLMInfer(m, c, false) },
	})
	register(Command{
		Name:    "llmstream",
		Summary: "Run one streamed LLM inference, printed in chunks",
		Usage:   []string{"Usage: llmstream <prompt text> [--max-tokens N] [--chunk N]"},
		Run:     func(m *Machine, c *Ctx) { runLLMInfer(m, c, true) },
	})
}

// llmParseInfer splits llminfer/llmstream arguments into flags (which
// may appear anywhere and consume the next token) and prompt words (the
// first 32 others, joined by one space).
func llmParseInfer(args []string, stream bool) governance.InferRequest {
	known := []string{"--max-tokens"}
	if stream {
		known = append(known, "--chunk")
	}
	req := governance.InferRequest{Stream: stream}
	var words []string
	for i := 0; i < len(args); i++ {
		isFlag := false
		for _, k := range known {
			if args[i] == k {
				isFlag = true
			}
		}
		if !isFlag {
			if len(words) < llmMaxPromptWords {
				words = append(words, args[i])
			}
			continue
		}
		if i+1 >= len(args) {
			break
		}
		v, ok := llmU64(args[i+1])
		if ok && args[i] == "--max-tokens" {
			req.MaxTokens = governance.Some(v)
		} else if ok {
			req.Chunk = governance.Some(v)
		}
		i++
	}
	req.Prompt = strings.Join(words, " ")
	return req
}

// runLLMInfer runs llminfer or llmstream (governance.md §1.2, §1.3).
func runLLMInfer(m *Machine, c *Ctx, stream bool) {
	if len(c.Args) == 0 {
		c.Usage()
		return
	}
	defer m.gov.flush(c)
	r := m.gov.g.Infer(c.Now(), llmParseInfer(c.Args, stream))
	final := func() {
		if stream {
			c.Printf("[LLM][STREAM] infer id=%d tokens=%d latency_us=%d", r.ID, len(r.Tokens), r.LatencyUs())
			return
		}
		c.Printf("[LLM] infer id=%d tokens=%d latency_us=%d", r.ID, len(r.Tokens), r.LatencyUs())
		c.Println("[LLM] output: " + llmWrapTokens(r.Tokens))
	}
	if r.Rejected {
		c.Metric("llm_rejects", r.Rejects)
		llmPrintBudgetReject(c, r)
		final()
		return
	}
	for _, ch := range r.Chunks {
		c.Println("[LLM][STREAM] chunk: " + llmWrapTokens(ch.Tokens))
		c.Metric("llm_stream_chunk_tokens", uint64(len(ch.Tokens)))
	}
	c.Advance(clock.FromNs(r.ActualNs))
	c.Metric("llm_infer_us", r.LatencyUs())
	c.Metric("llm_actual_ns", r.ActualNs)
	if r.WCETNs > 0 {
		c.Metric("llm_expected_ns", r.WCETNs)
	}
	c.Metric("llm_tokens_out", uint64(len(r.Tokens)))
	c.Metric("llm_queue_depth_max", r.QueueDepthMax)
	c.Metric("llm_deadline_miss_count", r.DeadlineMisses)
	c.Metric("llm_rejects", r.Rejects)
	if stream {
		c.Metric("llm_stream_chunks", uint64(len(r.Chunks)))
		c.Metric("llm_pace_scale_percent", uint64(r.PaceAfter))
	}
	if r.SchedulerExists {
		st := r.Scheduler
		c.Metric("det_admission_used_ppm", uint64(st.UsedPPM))
		c.Metric("det_admission_accepted", st.Accepted)
		c.Metric("det_admission_rejected", st.Rejected)
		c.Metric("deterministic_deadline_miss_count", st.DeadlineMisses)
		if st.JitterSamples > 0 {
			c.Metric("deterministic_jitter_p99_ns", st.JitterP99Ns)
		}
		c.Metric("ai_inference_total_count", st.InferTotal)
		c.Metric("ai_inference_deadline_misses", st.DeadlineMisses)
		c.Metric("ai_inference_completion_count", st.InferCompleted)
		c.Metric("ai_tasks_registered", uint64(st.Servers))
		c.Metric("ai_pending_results", uint64(st.PendingResults))
		c.Metric("cbs_ai_server_count", uint64(st.Servers))
	}
	if r.Cut {
		llmPrintBudgetReject(c, r)
	}
	switch {
	case r.WCETNs == 0:
		c.Println("[LLM][DEADLINE] no_wcet")
	case r.Missed:
		c.Printf("[LLM][DEADLINE] miss actual=%dns expected=%dns slack=0ns", r.ActualNs, r.WCETNs)
	default:
		c.Printf("[LLM][DEADLINE] ok actual=%dns expected=%dns slack=%dns", r.ActualNs, r.WCETNs, r.WCETNs-r.ActualNs)
	}
	final()
}

// llmPrintBudgetReject prints the reference's rejection line (governance.md
// §3.2), which the kernel leaves out (Q4).
func llmPrintBudgetReject(c *Ctx, r governance.InferResult) {
	b := r.Reject
	c.Printf("[LLM][BUDGET] rejected id=%d issued=%d requested=%d limit=%d period_ns=%d", r.ID, b.Issued, b.Requested, b.Limit, b.PeriodNs)
}

// llmWrapTokens renders tokens as ⟨t1⟩ ⟨t2⟩ ….
func llmWrapTokens(toks []string) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("⟨")
		b.WriteString(t)
		b.WriteString("⟩")
	}
	return b.String()
}
