package emu

import "github.com/sisemu/sisemu/sched/clock"

func init() {
	register(Command{
		Name:    "phase3validation",
		Summary: "Phase 3 validation: ML runtime, NPU driver, CBS+EDF AI scheduler, end-to-end inference",
		Usage:   []string{"Usage: phase3validation"},
		Run:     runPhase3validation,
	})
}

// Virtual probe costs and kernel constants of phase3validation (sched.md
// §1.6, §4.3).
const (
	npuPerfJobs              = 10
	probeNPUJobs clock.Ticks = 30_000
	probeE2ENs               = 12_000
	npuIRQCycles             = 128 // mean of 120, 135, 118, 142, 128
	npuQueuePct              = 18  // 12 of 64 slots
	mlArenaBytes             = 8192
)

// runPhase3validation is the phase3validation command (sched.md §1.6).
// NPU job ids come from one per-machine counter: the ten performance jobs
// take the next ten ids, the test inference the one after.
func runPhase3validation(m *Machine, c *Ctx) {
	s := &m.sched
	c.Println("")
	c.Println("[PHASE 3 VALIDATION] ========== Phase 3 AI-Native Kernel Validation ==========")
	c.Println("[PHASE 3 VALIDATION] Comprehensive Phase 3 AI inference system validation")

	c.Println("[PHASE 3] Validating ML runtime integration")
	c.Println("[ML RUNTIME] Validating TinyML runtime with static arenas")
	c.Printf("[ML RUNTIME] Loading test model into static arena (%d bytes)", mlArenaBytes)
	c.Println("[ML RUNTIME] OK Model loaded")
	c.Println("[ML RUNTIME] Running bounded inference")
	inf := probe(c, probeInference)
	c.Printf("[ML RUNTIME] OK Bounded inference completed in %d cycles", inf)
	c.Println("[ML RUNTIME] ML runtime validation complete")
	c.Println("[PHASE 3] OK ML runtime integration validated")

	c.Println("[PHASE 3] Validating NPU driver performance")
	c.Println("[NPU PERF] Testing job submission -> completion lifecycle")
	s.npuJobs += npuPerfJobs
	t := probe(c, probeNPUJobs)
	c.Printf("[NPU PERF] %d jobs processed in %d cycles (avg %d cycles/job)", npuPerfJobs, t, t/npuPerfJobs)
	if t/npuPerfJobs < 5_000 {
		c.Println("[NPU PERF] OK Job processing efficiency validated")
	} else {
		c.Println("[NPU PERF] FAIL Job processing too slow")
	}
	c.Println("[NPU PERF] Testing interrupt handling latency")
	c.Printf("[NPU PERF] Average interrupt latency: %d cycles", npuIRQCycles)
	c.Println("[NPU PERF] OK Interrupt latency within bounds")
	c.Println("[NPU PERF] Testing queue utilization efficiency")
	c.Printf("[NPU PERF] Queue utilization: %d%%", npuQueuePct)
	c.Println("[NPU PERF] WARN Queue utilization suboptimal")
	c.Println("[PHASE 3] OK NPU driver performance validated")

	c.Println("[PHASE 3] Validating CBS+EDF AI scheduler integration")
	c.Println("[AI SCHEDULER] Validating CBS+EDF AI scheduler integration")
	c.Println("[AI SCHEDULER] Simulating scheduler AI task integration")
	c.Println("[AI SCHEDULER] OK AI task registered successfully")
	c.Println("[AI SCHEDULER] OK AI CBS server created (ID: 1)")
	c.Println("[AI SCHEDULER] OK AI job submitted successfully (Job ID: 42)")
	c.Println("[AI SCHEDULER] AI scheduler integration validation complete")
	c.Println("[PHASE 3] OK AI scheduler integration validated")

	c.Println("[PHASE 3] Validating end-to-end AI inference performance")
	c.Println("[AI TEST] Submitting test AI inference")
	s.npuJobs++
	c.Printf("[AI TEST] OK Test inference submitted (Job ID: %d)", s.npuJobs)
	c.Println("[NPU] Processing test inference job")
	c.Println("[NPU] Using simulation mode (no hardware detection implemented)")
	c.Println("[NPU] Simulating inference job processing")
	p := &nsProbe{c: c, start: c.Now()}
	e2e := p.run(probeE2ENs)
	c.Println("[NPU] OK Simulated inference completed successfully")
	c.Println("[NPU] Simulated output: [0.25, 0.50, 0.75, 1.00]")
	c.Printf("[PHASE 3] End-to-end AI inference latency: %dns", e2e)
	if e2e < 15_000 {
		c.Println("[PHASE 3] OK End-to-end performance target met")
	} else {
		c.Println("[PHASE 3] FAIL End-to-end latency exceeds target")
	}
	c.MetricAlways("phase3_tests_passed", 10)
	c.MetricAlways("phase3_tests_total", 10)
	c.Println("[PHASE 3 VALIDATION] Phase 3 validation complete")
	c.Println("")
}
