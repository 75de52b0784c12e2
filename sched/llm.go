package sched

import "github.com/sisemu/sisemu/sched/clock"

// LLMServerID is the task id every LLM CBS server carries (sched.md §1.3).
const LLMServerID = 1000

// LLMSlots is how many CBS servers the LLM scheduler holds.
const LLMSlots = 4

// LLMServer is one constant-bandwidth server of the LLM scheduler. Times are
// nanoseconds since boot; the scheduler runs in ns as the kernel's does.
type LLMServer struct {
	// ID is always LLMServerID: all LLM servers serve the one LLM task.
	ID uint32
	// QNs is the budget per period (the WCET admitted with it).
	QNs uint64
	// PeriodNs is the replenishment period.
	PeriodNs uint64
	// DNs is the relative deadline: the period, or the WCET when the period is 0.
	DNs uint64
	// RemainingNs is the budget left in the current period.
	RemainingNs uint64
	// DeadlineNs is the absolute deadline of the current period.
	DeadlineNs uint64
	// NextReplenishNs is when the budget is refilled next.
	NextReplenishNs uint64
	// AdmittedNs is when the server was admitted.
	AdmittedNs uint64
}

// LLMScheduler is the global scheduler that LLM inference is charged to
// (sched.md §1.3, governance.md §2.2). It is created by the first
// `llmctl budget` and never reset.
//
// It keeps the kernel's accounting on purpose (sched.md §4.2, last bullet):
// utilisation and Accepted are charged before the 4-slot check, so an
// admission that finds every slot taken is still counted as accepted and
// still occupies its ppm, although no server is created for it. The
// `llmctl status` counters of the Phase 2 suite depend on it. What differs
// from the kernel is time (Q14): decisions run at the virtual "now" of the
// request, so servers replenish and jobs can miss their deadlines.
type LLMScheduler struct {
	adm     Admission
	servers []LLMServer
	jitter  Jitter

	deadlineMisses uint64
	inferTotal     uint64
	completions    uint64
}

// LLMStatus is a snapshot of the scheduler's counters.
type LLMStatus struct {
	UsedPPM        uint32
	Accepted       uint64
	Rejected       uint64
	DeadlineMisses uint64
	// JitterSamples is the number of samples in the window (0 means the
	// p99 is not printed by llminfer).
	JitterSamples int
	JitterP99Ns   uint64
	// InferTotal counts inferences charged to the scheduler; InferCompleted
	// those that completed (all of them: inference is synchronous).
	InferTotal     uint64
	InferCompleted uint64
	// Servers is the number of CBS servers created (at most LLMSlots).
	Servers int
	// PendingResults is always 0: every inference completes inside its command.
	PendingResults int
}

// LLMAdmitResult says what one `llmctl budget` admission did.
type LLMAdmitResult struct {
	// UtilPPM is floor(wcet_ns·10^6/period_ns), saturated (period 0 = 2^32-1).
	UtilPPM uint32
	// Admitted is false when used + util exceeded the bound.
	Admitted bool
	// ServerCreated is false when admitted but all LLMSlots slots were taken.
	ServerCreated bool
}

// LLMDecision is what one inference did to the scheduler.
type LLMDecision struct {
	// Server is the index of the server charged, or -1 when no server had budget.
	Server int
	// Missed reports that the job finished after the charged server's deadline.
	Missed bool
	// JitterNs is the jitter sample taken: |runtime − wcet|.
	JitterNs uint64
}

// NewLLMScheduler returns the empty LLM scheduler: bound 850,000 ppm, 4 slots.
func NewLLMScheduler() *LLMScheduler {
	return &LLMScheduler{adm: NewAdmission(BoundPPM, LLMSlots)}
}

// Admit runs admission for one `llmctl budget` at time now with the LLM's
// current WCET and period (governance.md §2.2): util > bound − used is
// rejected; otherwise the ppm and the acceptance are charged first and a
// server is created only if one of the 4 slots is free.
func (s *LLMScheduler) Admit(now clock.Ticks, wcetNs, periodNs uint64) LLMAdmitResult {
	util := UtilPPM(wcetNs, periodNs)
	r := LLMAdmitResult{UtilPPM: util}
	if !s.adm.Fits(util) {
		s.adm.Rejected++
		return r
	}
	s.adm.UsedPPM += util
	s.adm.Accepted++
	r.Admitted = true
	if len(s.servers) >= LLMSlots {
		return r
	}
	d := periodNs
	if d == 0 {
		d = wcetNs
	}
	t := now.Ns()
	s.servers = append(s.servers, LLMServer{
		ID:              LLMServerID,
		QNs:             wcetNs,
		PeriodNs:        periodNs,
		DNs:             d,
		RemainingNs:     wcetNs,
		DeadlineNs:      llmAdd(t, d),
		NextReplenishNs: llmAdd(t, periodNs),
		AdmittedNs:      t,
	})
	s.adm.Servers = len(s.servers)
	r.ServerCreated = true
	return r
}

// Infer makes the scheduling decision for one inference that starts at now
// and runs for runtimeNs against an expected wcetNs:
//
//  1. replenish every server whose replenishment time has come (full budget,
//     next replenishment and deadline one period after now);
//  2. charge the server with budget and the earliest deadline (ties: lower
//     index); with none, nothing is charged and no miss can be counted;
//  3. a miss is the job finishing (now + runtime) after that server's
//     deadline, counted once per job (sched.md Q6, reference reading);
//  4. the runtime is consumed; a job longer than the remaining budget
//     exhausts it (the server is throttled until its next replenishment);
//  5. one jitter sample |runtime − wcet| is added (last 64 kept).
func (s *LLMScheduler) Infer(now clock.Ticks, runtimeNs, wcetNs uint64) LLMDecision {
	t := now.Ns()
	for i := range s.servers {
		sv := &s.servers[i]
		if sv.PeriodNs > 0 && t >= sv.NextReplenishNs {
			sv.RemainingNs = sv.QNs
			sv.NextReplenishNs = llmAdd(t, sv.PeriodNs)
			sv.DeadlineNs = llmAdd(t, sv.DNs)
		}
	}
	d := LLMDecision{Server: -1}
	for i := range s.servers {
		sv := &s.servers[i]
		if sv.RemainingNs == 0 {
			continue
		}
		if d.Server < 0 || sv.DeadlineNs < s.servers[d.Server].DeadlineNs {
			d.Server = i
		}
	}
	if d.Server >= 0 {
		sv := &s.servers[d.Server]
		if llmAdd(t, runtimeNs) > sv.DeadlineNs {
			d.Missed = true
			s.deadlineMisses++
		}
		if runtimeNs <= sv.RemainingNs {
			sv.RemainingNs -= runtimeNs
		} else {
			sv.RemainingNs = 0
		}
	}
	if runtimeNs > wcetNs {
		d.JitterNs = runtimeNs - wcetNs
	} else {
		d.JitterNs = wcetNs - runtimeNs
	}
	s.jitter.Add(d.JitterNs)
	s.inferTotal++
	s.completions++
	return d
}

// Status returns a copy of the counters.
func (s *LLMScheduler) Status() LLMStatus {
	return LLMStatus{
		UsedPPM:        s.adm.UsedPPM,
		Accepted:       s.adm.Accepted,
		Rejected:       s.adm.Rejected,
		DeadlineMisses: s.deadlineMisses,
		JitterSamples:  s.jitter.Len(),
		JitterP99Ns:    s.jitter.P99(),
		InferTotal:     s.inferTotal,
		InferCompleted: s.completions,
		Servers:        len(s.servers),
	}
}

// Servers returns a copy of the CBS servers, in admission order.
func (s *LLMScheduler) Servers() []LLMServer {
	return append([]LLMServer(nil), s.servers...)
}

// llmAdd is a+b saturating at 2^64-1.
func llmAdd(a, b uint64) uint64 {
	if a+b < a {
		return ^uint64(0)
	}
	return a + b
}
