// Package clock is sisemu's time base: a 62.5 MHz tick counter that moves only
// when its owner advances it, the conversions between ticks, nanoseconds and
// cycles that the SIS kernel prints, and the Source interface that a hardware
// timer (sched/hwclock) satisfies too.
//
// One tick is one cycle of the kernel's generic timer: 16 ns exactly. Every
// subsystem receives "now" as a Ticks argument; none of them reads a clock of
// its own, so the same inputs always produce the same outputs.
package clock

import "math/bits"

// Hz is the frequency of the SIS kernel's generic timer (CNTFRQ_EL0 under QEMU).
const Hz = 62_500_000

// NsPerTick is the length of one tick in nanoseconds.
const NsPerTick = 1_000_000_000 / Hz

// Ticks counts cycles of the 62.5 MHz counter since reset.
type Ticks uint64

// Common durations in ticks.
const (
	// Microsecond is not a whole number of ticks (62.5); use FromNs for µs.
	Millisecond Ticks = Hz / 1_000
	Second      Ticks = Hz
)

// Ns converts ticks to nanoseconds, saturating at 2^64-1 as the kernel does
// (cycles × 10^9 / 62,500,000).
func (t Ticks) Ns() uint64 {
	hi, lo := bits.Mul64(uint64(t), NsPerTick)
	if hi != 0 {
		return ^uint64(0)
	}
	return lo
}

// Us converts ticks to whole microseconds, truncating.
func (t Ticks) Us() uint64 { return t.Ns() / 1000 }

// Ms converts ticks to whole milliseconds, truncating.
func (t Ticks) Ms() uint64 { return t.Ns() / 1_000_000 }

// FromNs converts nanoseconds to ticks, truncating (ns / 16).
func FromNs(ns uint64) Ticks { return Ticks(ns / NsPerTick) }

// FromMs converts milliseconds to ticks, saturating.
func FromMs(ms uint64) Ticks {
	hi, lo := bits.Mul64(ms, uint64(Millisecond))
	if hi != 0 {
		return Ticks(^uint64(0))
	}
	return Ticks(lo)
}

// CyclesToNs converts timer cycles to nanoseconds with the kernel's rule.
func CyclesToNs(cycles uint64) uint64 { return Ticks(cycles).Ns() }

// NsToCycles converts nanoseconds to timer cycles with the kernel's rule.
func NsToCycles(ns uint64) uint64 { return uint64(FromNs(ns)) }

// Add returns t+d, saturating at the largest Ticks value.
func (t Ticks) Add(d Ticks) Ticks {
	s, carry := bits.Add64(uint64(t), uint64(d), 0)
	if carry != 0 {
		return Ticks(^uint64(0))
	}
	return Ticks(s)
}

// Source is anything that tells the current tick count. The virtual counter
// implements it; so does the hardware shim, which reads CNTVCT_EL0.
type Source interface {
	// Now returns the current count.
	Now() Ticks
	// Frequency returns the counter frequency in Hz.
	Frequency() uint64
}

// Virtual is the deterministic counter owned by one machine. It starts at 0
// and moves only through Advance and AdvanceTo.
type Virtual struct {
	now Ticks
}

var _ Source = (*Virtual)(nil)

// NewVirtual returns a counter at tick 0.
func NewVirtual() *Virtual { return &Virtual{} }

// Now returns the current tick count.
func (v *Virtual) Now() Ticks { return v.now }

// Frequency returns Hz.
func (v *Virtual) Frequency() uint64 { return Hz }

// Advance moves the counter forward by d ticks (saturating) and returns the new time.
func (v *Virtual) Advance(d Ticks) Ticks {
	v.now = v.now.Add(d)
	return v.now
}

// AdvanceTo moves the counter to t if t is later than now; time never goes back.
func (v *Virtual) AdvanceTo(t Ticks) Ticks {
	if t > v.now {
		v.now = t
	}
	return v.now
}
