package sched_test

import (
	"fmt"

	"github.com/sisemu/sisemu/sched"
	"github.com/sisemu/sisemu/sched/clock"
)

func ExampleLLMScheduler() {
	s := sched.NewLLMScheduler()
	// Two budgets of 25,000 cycles (400,000 ns) per 1 ms: 400,000 ppm each.
	fmt.Println(s.Admit(0, 400_000, 1_000_000).Admitted, s.Admit(0, 400_000, 1_000_000).Admitted)
	// A third does not fit under 850,000 ppm.
	fmt.Println(s.Admit(0, 400_000, 1_000_000).Admitted)
	// An inference of 300,000 ns at 0.8 ms ends after the 1 ms deadline.
	d := s.Infer(clock.FromNs(800_000), 300_000, 400_000)
	fmt.Println(d.Server, d.Missed, d.JitterNs)
	st := s.Status()
	fmt.Println(st.UsedPPM, st.Accepted, st.Rejected, st.DeadlineMisses)
	// Output:
	// true true
	// false
	// 0 true 100000
	// 800000 2 1 1
}
