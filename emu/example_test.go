package emu_test

import (
	"fmt"

	"github.com/sisemu/sisemu/emu"
)

// A machine is driven one command line at a time; output is exactly what
// the kernel prints between the echo and the next prompt, and time is
// virtual: 62,500 ticks (1 ms) per line.
func Example() {
	m, err := emu.New(emu.Options{Seed: 7})
	if err != nil {
		panic(err)
	}
	defer m.Close()
	fmt.Print(m.Exec("metricsctl status").Output)
	r := m.Exec("vclock")
	fmt.Print(r.Output)
	fmt.Println(r.Start, r.Elapsed)
	// Output:
	// [METRICSCTL] capture: ON
	// [VCLOCK] ticks=62500 ns=1000000
	// 62500 62500
}
