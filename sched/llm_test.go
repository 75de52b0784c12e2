package sched

import (
	"testing"

	"github.com/sisemu/sisemu/sched/clock"
)

// 50,000 cycles (800,000 ns) per 1 s is 800 ppm: 1,062 admissions fit under
// 850,000 ppm (849,600), the 1,063rd is rejected (governance.md §2.2).
func TestLLMAdmit1062Calls(t *testing.T) {
	s := NewLLMScheduler()
	for i := 1; i <= 1062; i++ {
		r := s.Admit(clock.Ticks(i), 800_000, 1_000_000_000)
		if !r.Admitted || r.UtilPPM != 800 {
			t.Fatalf("call %d: %+v, want admitted with 800 ppm", i, r)
		}
		if r.ServerCreated != (i <= LLMSlots) {
			t.Fatalf("call %d: ServerCreated=%v", i, r.ServerCreated)
		}
	}
	r := s.Admit(2000, 800_000, 1_000_000_000)
	if r.Admitted {
		t.Fatalf("call 1063 admitted: %+v", r)
	}
	st := s.Status()
	want := LLMStatus{UsedPPM: 849_600, Accepted: 1062, Rejected: 1, Servers: 4}
	if st != want {
		t.Fatalf("status %+v, want %+v", st, want)
	}
}

// 25,000 cycles per 1 ms is 400,000 ppm: two fit (800,000), the third is
// rejected and charges nothing.
func TestLLMAdmitThirdOf400000Rejected(t *testing.T) {
	s := NewLLMScheduler()
	got := []bool{}
	for i := 0; i < 3; i++ {
		got = append(got, s.Admit(0, 400_000, 1_000_000).Admitted)
	}
	if got[0] != true || got[1] != true || got[2] != false {
		t.Fatalf("admissions %v, want [true true false]", got)
	}
	st := s.Status()
	if st.UsedPPM != 800_000 || st.Accepted != 2 || st.Rejected != 1 {
		t.Fatalf("status %+v", st)
	}
}

// The kernel's accounting: a fifth admission that fits the ppm bound is
// accepted and charged although no slot is left.
func TestLLMAdmitChargesBeforeSlotCheck(t *testing.T) {
	s := NewLLMScheduler()
	for i := 0; i < 5; i++ {
		r := s.Admit(0, 1_000, 1_000_000) // 1,000 ppm each
		if !r.Admitted {
			t.Fatalf("call %d rejected", i)
		}
		if r.ServerCreated != (i < 4) {
			t.Fatalf("call %d: ServerCreated=%v", i, r.ServerCreated)
		}
	}
	if st := s.Status(); st.UsedPPM != 5_000 || st.Accepted != 5 || st.Servers != 4 {
		t.Fatalf("status %+v", st)
	}
}

// Exactly reaching the bound is admitted (inclusive), one ppm more is not;
// a zero period is infinite demand.
func TestLLMAdmitBoundInclusive(t *testing.T) {
	s := NewLLMScheduler()
	if !s.Admit(0, 850_000, 1_000_000).Admitted {
		t.Fatal("850,000 ppm on an empty scheduler rejected")
	}
	if s.Admit(0, 1, 1_000_000).Admitted {
		t.Fatal("1 ppm over the bound admitted")
	}
	if NewLLMScheduler().Admit(0, 0, 0).Admitted {
		t.Fatal("period 0 admitted")
	}
}

func TestLLMInferChargesEarliestDeadline(t *testing.T) {
	s := NewLLMScheduler()
	s.Admit(0, 800_000, 1_000_000_000) // deadline 1 s
	s.Admit(0, 800_000, 100_000_000)   // deadline 100 ms
	d := s.Infer(clock.FromNs(1_000_000), 320_000, 800_000)
	if d.Server != 1 || d.Missed || d.JitterNs != 480_000 {
		t.Fatalf("decision %+v", d)
	}
	if sv := s.Servers()[1]; sv.RemainingNs != 480_000 {
		t.Fatalf("remaining %d, want 480000", sv.RemainingNs)
	}
	// Exhaust server 1: the next job goes to server 0.
	s.Infer(clock.FromNs(2_000_000), 800_000, 800_000)
	if d := s.Infer(clock.FromNs(3_000_000), 100, 800_000); d.Server != 0 {
		t.Fatalf("after exhausting server 1 charged %d", d.Server)
	}
	st := s.Status()
	if st.InferTotal != 3 || st.InferCompleted != 3 || st.JitterSamples != 3 {
		t.Fatalf("status %+v", st)
	}
}

// On the virtual clock a server replenishes one period after the request
// that finds it due, and a job ending after the deadline is a miss.
func TestLLMInferReplenishAndMiss(t *testing.T) {
	s := NewLLMScheduler()
	s.Admit(0, 400_000, 1_000_000) // Q 400 µs, P = D = 1 ms
	if d := s.Infer(clock.FromNs(900_000), 200_000, 400_000); !d.Missed || d.Server != 0 {
		t.Fatalf("job ending at 1.1 ms with deadline 1 ms: %+v", d)
	}
	// At 1 ms the server replenishes: deadline 2 ms, budget 400 µs.
	if d := s.Infer(clock.FromNs(1_000_000), 400_000, 400_000); d.Missed || d.Server != 0 {
		t.Fatalf("after replenishment: %+v", d)
	}
	if sv := s.Servers()[0]; sv.DeadlineNs != 2_000_000 || sv.RemainingNs != 0 {
		t.Fatalf("server %+v", sv)
	}
	// Budget exhausted until 2 ms: nothing charged, no miss.
	if d := s.Infer(clock.FromNs(1_500_000), 10, 400_000); d.Server != -1 || d.Missed {
		t.Fatalf("exhausted server charged: %+v", d)
	}
	if st := s.Status(); st.DeadlineMisses != 1 {
		t.Fatalf("misses %d, want 1", st.DeadlineMisses)
	}
}

// p99 follows sched.Jitter over the last 64 samples.
func TestLLMJitterP99(t *testing.T) {
	s := NewLLMScheduler()
	for i := uint64(0); i < 10; i++ {
		s.Infer(0, 1000+i*10, 1000) // samples 0,10,...,90
	}
	if st := s.Status(); st.JitterP99Ns != 80 || st.JitterSamples != 10 {
		t.Fatalf("p99 %d samples %d, want 80 and 10", st.JitterP99Ns, st.JitterSamples)
	}
}

func BenchmarkLLMInfer(b *testing.B) {
	s := NewLLMScheduler()
	for i := 0; i < 4; i++ {
		s.Admit(0, 800_000, 1_000_000_000)
	}
	for i := 0; b.Loop(); i++ {
		s.Infer(clock.Ticks(i)*62_500, 320_000, 800_000)
	}
}
