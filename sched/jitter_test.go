package sched

import (
	"slices"
	"testing"
)

func TestJitterEmpty(t *testing.T) {
	var j Jitter
	if j.Max() != 0 || j.Mean() != 0 || j.P99() != 0 || j.Len() != 0 || j.Total != 0 {
		t.Fatal("empty jitter not zero")
	}
}

// TestJitterP99Rank pins the rank rule of sched.md §2.4:
// ascending[floor((n-1)·99/100)].
func TestJitterP99Rank(t *testing.T) {
	for _, c := range []struct {
		n    int
		want uint64
	}{{1, 1}, {2, 1}, {10, 9}, {64, 63}} {
		var j Jitter
		// Add n, n-1, ..., 1 so that order of arrival differs from rank.
		for v := c.n; v >= 1; v-- {
			j.Add(uint64(v))
		}
		if got := j.P99(); got != c.want {
			t.Errorf("n=%d: P99=%d, want %d (index %d)", c.n, got, c.want, (c.n-1)*99/100)
		}
	}
}

func TestJitterStats(t *testing.T) {
	var j Jitter
	for _, v := range []uint64{5, 1, 9, 2} {
		j.Add(v)
	}
	if j.Max() != 9 || j.Mean() != 4 || j.Len() != 4 || j.Total != 4 {
		t.Fatalf("max=%d mean=%d len=%d total=%d", j.Max(), j.Mean(), j.Len(), j.Total)
	}
	if got := j.Samples(); !slices.Equal(got, []uint64{5, 1, 9, 2}) {
		t.Fatalf("samples %v", got)
	}
}

// TestJitterRingKeepsLast64 pins the reference reading of Q10: the window
// slides; the kernel would freeze after the first 64.
func TestJitterRingKeepsLast64(t *testing.T) {
	var j Jitter
	for v := uint64(1); v <= 100; v++ {
		j.Add(v)
	}
	if j.Total != 100 || j.Len() != JitterWindow {
		t.Fatalf("total=%d len=%d", j.Total, j.Len())
	}
	s := j.Samples()
	if s[0] != 37 || s[63] != 100 {
		t.Fatalf("window %d..%d, want 37..100", s[0], s[63])
	}
	if j.Max() != 100 || j.Mean() != (37+100)/2 || j.P99() != 99 {
		t.Fatalf("max=%d mean=%d p99=%d", j.Max(), j.Mean(), j.P99())
	}
	j.Reset()
	if j.Total != 0 || j.Len() != 0 || j.Max() != 0 {
		t.Fatal("reset")
	}
}
