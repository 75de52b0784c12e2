package sched_test

import (
	"fmt"

	"github.com/sisemu/sisemu/sched"
	"github.com/sisemu/sisemu/sched/clock"
)

// Two servers under CBS/EDF: a 2 ms budget every 10 ms with a 5 ms
// deadline, and a 4 ms budget every 20 ms. Twenty 1 ms slices, then the
// trace.
func Example() {
	s, err := sched.New(sched.Options{})
	if err != nil {
		panic(err)
	}
	s.Admit(0, 2_000_000, 10_000_000, 5_000_000)
	s.Admit(0, 4_000_000, 20_000_000, 0)
	if _, err := s.Admit(0, 9_000_000, 10_000_000, 0); err != nil {
		fmt.Println("third:", err)
	}
	for k := range uint64(20) {
		s.Dispatch(clock.FromMs(k)) // one slice per ms
	}
	s.Advance(clock.FromMs(20))
	for _, r := range s.Trace(nil) {
		fmt.Printf("task %d job %d: slices %d-%d, deadline %d ms, missed %v\n",
			r.Task, r.K, r.StartSlice, r.FinishSlice, r.DeadlineNs/1_000_000, r.Missed)
	}
	st := s.Status()
	fmt.Printf("used %d ppm, misses %d, overruns %d\n", st.UsedPPM, st.Misses, st.Overruns)
	// Output:
	// third: sched: utilisation bound exceeded: 400000 + 900000 > 850000 ppm
	// task 0 job 0: slices 0-1, deadline 5 ms, missed false
	// task 1 job 0: slices 2-5, deadline 20 ms, missed false
	// task 0 job 1: slices 10-11, deadline 15 ms, missed false
	// used 400000 ppm, misses 0, overruns 0
}
