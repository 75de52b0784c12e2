package emu

import (
	"github.com/sisemu/sisemu/sched"
	"github.com/sisemu/sisemu/sched/clock"
)

func init() {
	register(Command{
		Name:    "rtaivalidation",
		Summary: "Real-time AI inference validation: latency, isolation, priority and budget probes",
		Usage:   []string{"Usage: rtaivalidation"},
		Run:     runRtaivalidation,
	})
}

// Virtual probe costs in ticks (= cycles) of rtaivalidation (sched.md §4.3).
const (
	probeInference     clock.Ticks = 8_000
	probeIsolated      clock.Ticks = 15_000
	probeConcurrent    clock.Ticks = 15_000
	probeHighPrio      clock.Ticks = 12_000
	probeLowPrio       clock.Ticks = 20_000
	probeBudgetRun     clock.Ticks = 22_500
	probeBudgetRuns                = 5
	budgetWindowCyc                = 150_000
	defaultAILatencyNs             = 3_250 // shown without AI samples ("3.2")
)

// probe spends d ticks of modelled work and returns the cycles it took.
func probe(c *Ctx, d clock.Ticks) uint64 {
	start := c.Now()
	c.Advance(d)
	return uint64(c.Now() - start)
}

// runRtaivalidation is the rtaivalidation command (sched.md §1.4, §2.5,
// §4.3). Every measured number is a virtual probe cost; the statistics
// come from the current graph's scheduler (0 without a graph).
func runRtaivalidation(m *Machine, c *Ctx) {
	c.Println("")
	c.Println("[RT-AI VALIDATION] ========== Real-Time AI Inference Validation ==========")
	c.Println("[RT-AI VALIDATION] Testing <10us inference latency with deterministic guarantees")

	c.Println("[RT-AI] Testing cycle-accurate inference with ARM PMU")
	inf := probe(c, probeInference)
	c.Printf("[RT-AI] Inference completed in %d cycles", inf)
	if inf < 25_000 {
		c.Println("[RT-AI] OK <10us inference latency target met")
	} else {
		c.Println("[RT-AI] FAIL Inference latency exceeds 10us target")
	}

	c.Println("[RT-AI] Testing temporal isolation between AI and traditional tasks")
	c.Println("[AI ISOLATION] Testing temporal isolation between AI and traditional tasks")
	a := probe(c, probeIsolated)
	c.Printf("[AI ISOLATION] AI task isolated execution: %d cycles", a)
	b := probe(c, probeConcurrent)
	c.Printf("[AI ISOLATION] AI task concurrent execution: %d cycles", b)
	var interference uint64
	if b > a {
		interference = b - a
	}
	c.Printf("[AI ISOLATION] Interference overhead: %d cycles", interference)
	if interference < a/20 {
		c.Println("[AI ISOLATION] OK Temporal isolation maintained")
		c.Println("[RT-AI] OK Temporal isolation validated - no interference detected")
	} else {
		c.Println("[AI ISOLATION] FAIL Temporal isolation compromised")
		c.Println("[RT-AI] FAIL Temporal isolation not validated")
	}

	c.Println("[RT-AI] Testing priority-based AI inference scheduling")
	c.Println("[AI PRIORITY] Testing priority-based AI inference scheduling")
	h := probe(c, probeHighPrio)
	c.Printf("[AI PRIORITY] High priority AI task: %d cycles", h)
	l := probe(c, probeLowPrio)
	c.Printf("[AI PRIORITY] Low priority AI task: %d cycles", l)
	if h < 20_000 && h < l {
		c.Println("[AI PRIORITY] OK Priority-based scheduling validated")
		c.Println("[RT-AI] OK Priority-based inference scheduling validated")
	} else {
		c.Println("[AI PRIORITY] FAIL Priority scheduling failed")
		c.Println("[RT-AI] FAIL Priority-based inference scheduling not validated")
	}

	c.Println("[RT-AI] Testing AI inference budget compliance")
	c.Println("[AI BUDGET] Testing AI inference budget compliance")
	var sum uint64
	for k := 1; k <= probeBudgetRuns; k++ {
		e := probe(c, probeBudgetRun)
		sum += e
		c.Printf("[AI BUDGET] Execution %d: %d cycles", k, e)
	}
	avg := sum / probeBudgetRuns
	util := sum * 100 / budgetWindowCyc
	c.Printf("[AI BUDGET] Average execution: %d cycles", avg)
	c.Printf("[AI BUDGET] Budget utilization: %d%%", util)
	if util > 60 && util < 90 && avg < 30_000 {
		c.Println("[AI BUDGET] OK Budget compliance validated")
		c.Println("[RT-AI] OK Budget compliance validated - no overruns detected")
	} else {
		c.Println("[AI BUDGET] FAIL Budget compliance failed")
		c.Println("[RT-AI] FAIL Budget compliance not validated")
	}

	var st sched.Status
	if g := m.sched.active(); g != nil {
		st = g.Status()
	}
	lat := st.AIAvgLatencyNs
	if lat == 0 {
		lat = defaultAILatencyNs
	}
	// Reference (sched.md Q12): the average latency in µs with one decimal,
	// truncated.
	c.Printf("METRIC ai_inference_latency_us=%d.%d", lat/1000, lat%1000/100)
	c.MetricAlways("ai_deadline_misses", st.AIDeadlineMisses)
	c.MetricAlways("scheduler_deadline_misses", st.Misses)
	if st.JitterSamples > 0 {
		c.MetricAlways("max_jitter_ns", st.MaxJitterNs)
		c.MetricAlways("mean_jitter_ns", st.MeanJitterNs)
		if st.MaxJitterNs < 1000 {
			c.Println("Temporal isolation: VERIFIED (jitter < 1us)")
		} else {
			c.Println("Temporal isolation: DEGRADED (jitter >= 1us)")
		}
	} else {
		c.Println("Temporal isolation: NOT TESTED (no jitter samples)")
	}
	c.MetricAlways("deterministic_scheduler_active", 1)
	c.Println("[RT-AI VALIDATION] Real-time AI validation complete")
	c.Println("")
}
