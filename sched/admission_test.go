package sched

import (
	"errors"
	"testing"
)

func TestUtilPPM(t *testing.T) {
	cases := []struct {
		wcet, period uint64
		want         uint32
	}{
		{10_000_000, 100_000_000, 100_000},
		{90_000_000, 100_000_000, 900_000},
		{1_000_000, 2_000_000, 500_000},
		{1, 3, 333_333},                     // floor
		{2, 3, 666_666},                     // floor, not rounded
		{5, 0, ^uint32(0)},                  // period 0: infinite demand
		{^uint64(0), 1, ^uint32(0)},         // 128-bit product saturates
		{5_000_000_000, 1, ^uint32(0)},      // quotient above u32 saturates
		{^uint64(0), ^uint64(0), 1_000_000}, // 128-bit intermediate, exact
		{0, 100, 0},
	}
	for _, c := range cases {
		if got := UtilPPM(c.wcet, c.period); got != c.want {
			t.Errorf("UtilPPM(%d, %d) = %d, want %d", c.wcet, c.period, got, c.want)
		}
	}
}

// TestAdmissionSequence replays the single-graph sequence of sched.md §2.1.
func TestAdmissionSequence(t *testing.T) {
	a := NewAdmission(BoundPPM, 16)
	steps := []struct {
		wcetMs, periodMs uint64
		ok               bool
		used             uint32
	}{
		{10, 100, true, 100_000},
		{90, 100, false, 100_000},
		{50, 100, true, 600_000},
		{10, 100, true, 700_000},
		{15, 100, true, 850_000}, // exactly the bound
		{1, 2, false, 850_000},
	}
	for i, s := range steps {
		if got := a.Admit(UtilPPM(s.wcetMs*1e6, s.periodMs*1e6)); got != s.ok || a.UsedPPM != s.used {
			t.Fatalf("step %d: admit=%v used=%d, want %v %d", i, got, a.UsedPPM, s.ok, s.used)
		}
	}
	if a.Accepted != 4 || a.Rejected != 2 || a.Servers != 4 {
		t.Fatalf("accepted=%d rejected=%d servers=%d, want 4 2 4", a.Accepted, a.Rejected, a.Servers)
	}
}

func TestAdmissionBoundaryAndRelease(t *testing.T) {
	a := NewAdmission(BoundPPM, 0)
	if !a.Admit(850_000) {
		t.Fatal("exactly 850,000 ppm must be admitted")
	}
	if a.Admit(1) {
		t.Fatal("one ppm over the bound must be rejected")
	}
	if a.UsedPPM != 850_000 || a.Rejected != 1 {
		t.Fatalf("a reject must not charge: used=%d rejected=%d", a.UsedPPM, a.Rejected)
	}
	a.Release(850_000)
	if a.UsedPPM != 0 || a.Servers != 0 {
		t.Fatalf("after release used=%d servers=%d", a.UsedPPM, a.Servers)
	}
	if !a.Admit(850_000) {
		t.Fatal("re-admission after release must succeed")
	}
	a.Release(900_000) // more than held: clamps at zero
	a.Release(1)
	if a.UsedPPM != 0 || a.Servers != 0 {
		t.Fatalf("over-release: used=%d servers=%d", a.UsedPPM, a.Servers)
	}
	// Saturating sum: a huge utilisation never wraps into acceptance.
	if a.Admit(^uint32(0)) {
		t.Fatal("2^32-1 ppm admitted")
	}
}

func TestAdmissionSlotsFirst(t *testing.T) {
	a := NewAdmission(BoundPPM, 2)
	a.Admit(1)
	a.Admit(1)
	if a.Admit(1) {
		t.Fatal("third server admitted into two slots")
	}
	if a.UsedPPM != 2 || a.Accepted != 2 || a.Rejected != 1 {
		t.Fatalf("slot reject charged: used=%d accepted=%d rejected=%d", a.UsedPPM, a.Accepted, a.Rejected)
	}
}

// TestSchedulerAdmissionBoundary checks the same boundary through the
// scheduler, with release by Off and re-admission.
func TestSchedulerAdmissionBoundary(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Admit(0, 85_000_000, 100_000_000, 0); err != nil {
		t.Fatalf("850,000 ppm: %v", err)
	}
	if _, err := s.Admit(0, 1_000, 1_000_000_000, 0); !errors.Is(err, ErrOverBound) {
		t.Fatalf("+1 ppm: err=%v, want ErrOverBound", err)
	}
	st := s.Status()
	if st.UsedPPM != 850_000 || st.Accepted != 1 || st.Rejected != 1 {
		t.Fatalf("status %+v", st)
	}
	s.Off(0)
	st = s.Status()
	if st.UsedPPM != 0 || len(st.Servers) != 0 || st.Enabled || st.Accepted != 1 || st.Rejected != 1 {
		t.Fatalf("after Off: %+v", st)
	}
	id, err := s.Admit(0, 85_000_000, 100_000_000, 0)
	if err != nil || id != 0 {
		t.Fatalf("re-admission: id=%d err=%v", id, err)
	}
}

func TestSchedulerAdmissionChecks(t *testing.T) {
	s, _ := New(Options{Slots: 2, BoundPPM: 1_000_000, SliceNs: 32})
	for _, c := range []struct {
		q, p, d uint64
		want    error
	}{
		{0, 100, 100, ErrBadParams},  // wcet 0 (Q9)
		{101, 100, 0, ErrBadParams},  // wcet > P
		{60, 100, 50, ErrBadParams},  // wcet > D
		{10, 100, 101, ErrBadParams}, // D > P (SCHED_DEADLINE: Q <= D <= P)
		{10, 0, 0, ErrBadParams},     // period 0
		{10, 31, 0, ErrBadParams},    // period shorter than a slice
		{50, 100, 50, nil},           // wcet = D
		{50, 100, 0, nil},            // D defaults to P
		{1, 100, 0, ErrSlotsFull},    // slots checked first
	} {
		_, err := s.Admit(0, c.q, c.p, c.d)
		if !errors.Is(err, c.want) && !(err == nil && c.want == nil) {
			t.Errorf("Admit(%d,%d,%d) err=%v want %v", c.q, c.p, c.d, err, c.want)
		}
	}
	if st := s.Status(); st.Rejected != 7 || st.Accepted != 2 || st.UsedPPM != 1_000_000 {
		t.Fatalf("status %+v", st)
	}
}
