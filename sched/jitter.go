package sched

import "slices"

// JitterWindow is how many jitter samples the statistics cover.
const JitterWindow = 64

// Jitter keeps the last JitterWindow samples (ns) in a ring, with the total
// number ever taken. The kernel keeps the first 64 and freezes (Q10); the
// reference keeps the most recent 64.
type Jitter struct {
	ring  [JitterWindow]uint64
	n     int    // valid entries in ring
	next  int    // write position
	Total uint64 // samples ever taken
}

// Add records one sample.
func (j *Jitter) Add(ns uint64) {
	j.ring[j.next] = ns
	j.next = (j.next + 1) % JitterWindow
	if j.n < JitterWindow {
		j.n++
	}
	j.Total++
}

// Len is the number of samples in the window.
func (j *Jitter) Len() int { return j.n }

// Samples returns the window's samples, oldest first.
func (j *Jitter) Samples() []uint64 {
	out := make([]uint64, 0, j.n)
	start := (j.next - j.n + JitterWindow) % JitterWindow
	for i := 0; i < j.n; i++ {
		out = append(out, j.ring[(start+i)%JitterWindow])
	}
	return out
}

// Max is the largest sample in the window (0 when empty).
func (j *Jitter) Max() uint64 {
	var m uint64
	for i := 0; i < j.n; i++ {
		m = max(m, j.ring[i])
	}
	return m
}

// Mean is the integer mean of the window (0 when empty).
func (j *Jitter) Mean() uint64 {
	if j.n == 0 {
		return 0
	}
	var sum uint64
	for i := 0; i < j.n; i++ {
		sum += j.ring[i]
	}
	return sum / uint64(j.n)
}

// P99 is ascending[floor((n-1)·99/100)] over the window (sched.md §2.4): n=1,2
// give the smallest sample, n=10 the 9th smallest (index 8), n=64 index 62.
func (j *Jitter) P99() uint64 {
	if j.n == 0 {
		return 0
	}
	s := j.Samples()
	slices.Sort(s)
	return s[(j.n-1)*99/100]
}

// Reset empties the window and the total.
func (j *Jitter) Reset() { *j = Jitter{} }
