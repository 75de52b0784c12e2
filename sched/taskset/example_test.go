package taskset_test

import (
	"fmt"

	"github.com/sisemu/sisemu/sched/taskset"
)

// A task set in the YAML subset, run for 50 ms on the virtual clock.
func Example() {
	ts, err := taskset.Parse([]byte(`
until_ns: 50000000
tasks:
  - name: ctrl
    q_ns: 2000000
    p_ns: 10000000
  - name: video
    q_ns: 5000000
    p_ns: 20000000
    demand_ns: [5000000, 8000000]   # job 1 overruns its budget
`))
	if err != nil {
		panic(err)
	}
	r, err := taskset.Run(ts, 0)
	if err != nil {
		panic(err)
	}
	for _, t := range r.PerTask {
		fmt.Printf("%s: %d jobs, %d finished, %d missed\n", t.Name, t.Jobs, t.Finished, t.Missed)
	}
	fmt.Printf("segments %d, misses %d, overruns %d\n", len(r.Segments), r.Misses, r.Overruns)
	// Output:
	// ctrl: 5 jobs, 5 finished, 0 missed
	// video: 3 jobs, 2 finished, 1 missed
	// segments 25, misses 1, overruns 1
}
