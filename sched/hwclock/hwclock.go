// Package hwclock is the hardware-timer shim: a clock.Source that reads the
// board's generic timer. On linux/arm64 it reads the virtual counter
// CNTVCT_EL0 and its frequency CNTFRQ_EL0 directly (Go assembly, no
// syscall); on every other platform it counts the host's monotonic clock in
// nanoseconds behind the same interface.
//
// Real time is exactly what the deterministic core must never see, so only
// cmd/ imports this package (`sisemu sched simulate --clock hw`), and output
// driven by it is not reproducible, by choice (sched.md §4.1).
//
// A counter that goes backwards (a migrated VM, a buggy hypervisor, a
// counter that is not synchronised across cores) would make a scheduler
// release jobs twice. Clock guards against it: a reading below the previous
// one is replaced by the previous one and counted in Regressions.
package hwclock

import (
	"math/bits"
	"sync/atomic"

	"github.com/sisemu/sisemu/sched/clock"
)

// counter is a raw free-running counter with a fixed frequency.
type counter interface {
	read() uint64
	frequency() uint64
}

// Clock is a monotonic clock.Source over a hardware or host counter. Its
// readings count from the value at New, so they start near 0. It is safe
// for concurrent use.
type Clock struct {
	c           counter
	freq        uint64
	origin      uint64
	last        atomic.Uint64
	regressions atomic.Uint64
	kind        string
}

var _ clock.Source = (*Clock)(nil)

// New returns the platform's clock: the generic timer on linux/arm64, the
// host monotonic clock elsewhere.
func New() *Clock { return newClock(platformCounter()) }

// NewMonotonic returns the host monotonic clock on every platform (ns, 1 GHz).
func NewMonotonic() *Clock { return newClock(newMonotonic()) }

func newClock(c counter) *Clock {
	k := &Clock{c: c, freq: c.frequency(), origin: c.read()}
	switch c.(type) {
	case *monotonic:
		k.kind = "monotonic"
	default:
		k.kind = "cntvct"
	}
	return k
}

// Now returns the counter's ticks since New (in Frequency units), never
// less than the previous reading.
func (k *Clock) Now() clock.Ticks {
	v := k.c.read()
	if v < k.origin {
		// Stepped back below the origin: a regression too (the
		// difference would wrap to the end of time).
		k.regressions.Add(1)
		return clock.Ticks(k.last.Load())
	}
	raw := v - k.origin
	for {
		prev := k.last.Load()
		if raw < prev {
			k.regressions.Add(1)
			return clock.Ticks(prev)
		}
		if k.last.CompareAndSwap(prev, raw) {
			return clock.Ticks(raw)
		}
	}
}

// Frequency returns the counter frequency in Hz (CNTFRQ_EL0 on arm64).
func (k *Clock) Frequency() uint64 { return k.freq }

// Kind names the counter: "cntvct" (the arm64 generic timer) or "monotonic".
func (k *Clock) Kind() string { return k.kind }

// Regressions counts readings that went backwards and were held.
func (k *Clock) Regressions() uint64 { return k.regressions.Load() }

// NowNs returns the time since New in nanoseconds.
func (k *Clock) NowNs() uint64 { return ToNs(uint64(k.Now()), k.freq) }

// ToNs converts ticks of a counter running at freq Hz to nanoseconds, in
// 128-bit intermediate precision, saturating (freq 0 gives 0).
func ToNs(ticks, freq uint64) uint64 {
	if freq == 0 {
		return 0
	}
	hi, lo := bits.Mul64(ticks, 1_000_000_000)
	if hi >= freq {
		return ^uint64(0)
	}
	q, _ := bits.Div64(hi, lo, freq)
	return q
}

// FromNs converts nanoseconds to ticks of a counter running at freq Hz.
func FromNs(ns, freq uint64) uint64 {
	hi, lo := bits.Mul64(ns, freq)
	if hi >= 1_000_000_000 {
		return ^uint64(0)
	}
	q, _ := bits.Div64(hi, lo, 1_000_000_000)
	return q
}
