package sched

import "testing"

// TestWakeRule pins the SCHED_DEADLINE wake-up rule of sched.md §4.2 (the
// reference reading of Q3) branch by branch, with hand-computed values:
// a release at t into an idle, unthrottled server refills when d < t,
// keeps d and runtime unless runtime·P > (d − t)·Q, and otherwise refills
// (D = P) or keeps d with runtime (d − t)·Q/D (D < P). The constrained
// branch is rarely reached by random task sets (the oracle test passes
// with it replaced by a full refill), so it is pinned here directly.
func TestWakeRule(t *testing.T) {
	const ms = 1_000_000
	const now = 100 * ms
	for _, c := range []struct {
		name          string
		d, p          uint64 // Q = 3 ms
		fresh         bool
		dl            uint64
		runtime       int64
		wantDl        uint64
		wantRuntime   int64
		wantThrottle  bool
		wantReplenish uint64
	}{
		{"first job", 5 * ms, 10 * ms, true, 0, 0, 105 * ms, 3 * ms, false, 0},
		{"deadline behind", 5 * ms, 10 * ms, false, 99 * ms, 1 * ms, 105 * ms, 3 * ms, false, 0},
		// 2.5·10 > 4·3: constrained, keep d, runtime 4·3/5 = 2.4 ms.
		{"constrained overflow", 5 * ms, 10 * ms, false, 104 * ms, 2_500_000, 104 * ms, 2_400_000, false, 0},
		// 1.5·10 = 5·3: not greater, keep both.
		{"equal keeps", 5 * ms, 10 * ms, false, 105 * ms, 1_500_000, 105 * ms, 1_500_000, false, 0},
		{"no overflow keeps", 5 * ms, 10 * ms, false, 110 * ms, 1 * ms, 110 * ms, 1 * ms, false, 0},
		// Implicit deadline: 2.5·10 > 4·3 refills, d := now + D.
		{"implicit overflow", 10 * ms, 10 * ms, false, 104 * ms, 2_500_000, 110 * ms, 3 * ms, false, 0},
		// d = now: the constrained runtime is 0, so the server throttles
		// until d − D + P.
		{"constrained at deadline", 5 * ms, 10 * ms, false, 100 * ms, 1 * ms, 100 * ms, 0, true, 105 * ms},
	} {
		sv := server{q: 3 * ms, d: c.d, p: c.p, fresh: c.fresh, dl: c.dl, runtime: c.runtime}
		th := sv.wake(now)
		if sv.dl != c.wantDl || sv.runtime != c.wantRuntime || th != c.wantThrottle || sv.throttle != c.wantThrottle {
			t.Errorf("%s: d=%d runtime=%d throttled=%v, want d=%d runtime=%d throttled=%v",
				c.name, sv.dl, sv.runtime, th, c.wantDl, c.wantRuntime, c.wantThrottle)
		}
		if c.wantThrottle && sv.replAt != c.wantReplenish {
			t.Errorf("%s: replenish at %d, want %d", c.name, sv.replAt, c.wantReplenish)
		}
	}
}
