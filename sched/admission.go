package sched

import "math/bits"

// BoundPPM is the utilisation bound of the graph and LLM schedulers, inclusive.
const BoundPPM = 850_000

// Admission is the utilisation ledger of one scheduler, in parts per million
// of one CPU (sched.md §2.1). It is a plain value: the caller decides when
// utilisation is released.
type Admission struct {
	BoundPPM uint32 // inclusive bound
	Slots    int    // server slots; 0 means unlimited
	UsedPPM  uint32
	Servers  int
	Accepted uint64
	Rejected uint64
}

// NewAdmission returns an empty ledger with the given bound and slot count.
func NewAdmission(boundPPM uint32, slots int) Admission {
	return Admission{BoundPPM: boundPPM, Slots: slots}
}

// UtilPPM is floor(wcet_ns·10^6/period_ns), computed in 128 bits and
// saturated to u32; a zero period counts as infinite demand (2^32-1).
func UtilPPM(wcetNs, periodNs uint64) uint32 {
	if periodNs == 0 {
		return ^uint32(0)
	}
	hi, lo := bits.Mul64(wcetNs, 1_000_000)
	if hi >= periodNs {
		return ^uint32(0)
	}
	q, _ := bits.Div64(hi, lo, periodNs)
	if q > uint64(^uint32(0)) {
		return ^uint32(0)
	}
	return uint32(q)
}

// Fits reports whether util more ppm fit under the bound (next <= bound, saturating add).
func (a *Admission) Fits(util uint32) bool {
	next := uint64(a.UsedPPM) + uint64(util)
	return next <= uint64(a.BoundPPM)
}

// Admit charges util if it fits and a slot is free (slots are checked first,
// so a rejection never charges: the reference reading of sched.md Q8).
// It returns whether the server was admitted and counts the decision.
func (a *Admission) Admit(util uint32) bool {
	if a.Slots > 0 && a.Servers >= a.Slots {
		a.Rejected++
		return false
	}
	if !a.Fits(util) {
		a.Rejected++
		return false
	}
	a.UsedPPM += util
	a.Servers++
	a.Accepted++
	return true
}

// Release returns util ppm and one slot to the ledger (never below zero).
func (a *Admission) Release(util uint32) {
	if util > a.UsedPPM {
		a.UsedPPM = 0
	} else {
		a.UsedPPM -= util
	}
	if a.Servers > 0 {
		a.Servers--
	}
}
