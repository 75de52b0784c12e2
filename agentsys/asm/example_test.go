package asm_test

import (
	"fmt"

	"github.com/sisemu/sisemu/agentsys/asm"
	"github.com/sisemu/sisemu/agentsys/frame"
	"github.com/sisemu/sisemu/sched/clock"
)

// An auto-restarting agent is restarted after each of its first three
// crashes and removed on the fourth.
func Example() {
	s, _ := asm.New(asm.Options{})
	s.Spawn(0, 7, "worker", frame.Caps(frame.FsBasic), true)
	for i := range 4 {
		ev, _ := s.Exit(clock.Ticks(i+1)*clock.Millisecond, 7, -11)
		last := ev[len(ev)-1]
		switch last.Kind {
		case asm.EvRestarting:
			fmt.Printf("crash %d: restart %d/%d, pid %d\n", i+1, last.Attempt, last.Max, last.PID)
		case asm.EvMaxRestarts:
			fmt.Printf("crash %d: removed\n", i+1)
		}
	}
	_, active := s.Agent(7)
	fmt.Println("active:", active, "restarts:", s.Telemetry().Restarts)
	// Output:
	// crash 1: restart 1/3, pid 101
	// crash 2: restart 2/3, pid 102
	// crash 3: restart 3/3, pid 103
	// crash 4: removed
	// active: false restarts: 3
}
