package emu

import (
	"strconv"

	"github.com/sisemu/sisemu/sched/clock"
)

func init() {
	register(Command{
		Name:    "vclock",
		Summary: "Show the virtual clock, or advance it",
		Usage:   []string{"Usage: vclock [advance <ns>]"},
		Run:     runVclock,
	})
}

// runVclock shows the virtual counter or advances it, firing due events
// (sched.md §4.1). The reading is taken when the command runs, before its
// own line cost.
func runVclock(m *Machine, c *Ctx) {
	switch {
	case len(c.Args) == 0:
	case c.Args[0] == "advance" && len(c.Args) == 2:
		ns, err := strconv.ParseUint(c.Args[1], 10, 64)
		if err != nil {
			c.Printf("[VCLOCK] invalid ns: %s", c.Args[1])
			return
		}
		c.Advance(clock.FromNs(ns))
	default:
		c.Usage()
		return
	}
	now := m.Now()
	c.Printf("[VCLOCK] ticks=%d ns=%d", uint64(now), now.Ns())
}
