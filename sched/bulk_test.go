package sched

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/sisemu/sisemu/sched/clock"
)

// scenario drives a scheduler through random admissions, demands and
// slices; two schedulers given the same scenario are in the same state.
type scenario struct {
	ops []func(s *Scheduler)
	at  clock.Ticks // time after the last op
}

func randomScenario(r *rand.Rand) scenario {
	var sc scenario
	t := clock.Ticks(0)
	L := clock.FromNs(DefaultSliceNs)
	servers := 0
	for range 2 + r.IntN(8) {
		switch r.IntN(4) {
		case 0, 1:
			p := uint64(1+r.IntN(30)) * ms
			switch r.IntN(3) {
			case 0:
				p += uint64(r.IntN(1000)) * 16
			case 1:
				// Shared periods and aligned admissions: misses of several
				// servers at the same instant (ties by id).
				p = []uint64{2, 4, 5, 10}[r.IntN(4)] * ms
				t = t / 62_500 * 62_500
			}
			q := 1 + uint64(r.Int64N(int64(p/2)))
			d := uint64(0)
			if r.IntN(2) == 0 {
				d = q + uint64(r.Int64N(int64(p-q+1)))
			}
			at := t
			sc.ops = append(sc.ops, func(s *Scheduler) { s.Admit(at, q, p, d) })
			servers++
		case 2:
			if servers == 0 {
				continue
			}
			id, dem, at := r.IntN(servers), 1+uint64(r.Int64N(3*ms)), t
			sc.ops = append(sc.ops, func(s *Scheduler) { s.SetDemand(at, id, dem) })
		case 3:
			n := uint64(1 + r.IntN(40))
			at := t
			sc.ops = append(sc.ops, func(s *Scheduler) { s.RunSlices(at, n) })
			t += clock.Ticks(n) * L
		}
		t += clock.Ticks(r.IntN(3 * 62_500))
	}
	sc.at = t
	return sc
}

func equalState(t *testing.T, seed uint64, what string, a, b *Scheduler) {
	t.Helper()
	if sa, sb := fmt.Sprintf("%+v", a.Status()), fmt.Sprintf("%+v", b.Status()); sa != sb {
		t.Fatalf("seed %d, %s: status\n exact %s\n  bulk %s", seed, what, sa, sb)
	}
	ta, tb := a.Trace(nil), b.Trace(nil)
	if len(ta) != len(tb) {
		t.Fatalf("seed %d, %s: %d records, bulk %d", seed, what, len(ta), len(tb))
	}
	for i := range ta {
		if ta[i] != tb[i] {
			t.Fatalf("seed %d, %s: record %d\n exact %+v\n  bulk %+v", seed, what, i, ta[i], tb[i])
		}
	}
	if a.NowNs() != b.NowNs() {
		t.Fatalf("seed %d, %s: now %d vs %d", seed, what, a.NowNs(), b.NowNs())
	}
	da, oka := a.NextDue()
	db, okb := b.NextDue()
	if da != db || oka != okb {
		t.Fatalf("seed %d, %s: next due %d %v vs %d %v", seed, what, da, oka, db, okb)
	}
}

// TestAdvanceIdleMatchesAdvance: over idle gaps long enough for the
// arithmetic path (drops included: gaps of up to 12 s with 1 ms periods),
// AdvanceIdle leaves exactly the state, counters and trace that Advance
// does, and the two schedulers stay identical when slices run afterwards
// (kept jobs complete into their miss records).
func TestAdvanceIdleMatchesAdvance(t *testing.T) {
	bulkUsed := 0
	for seed := uint64(1); seed <= 150; seed++ {
		r := rand.New(rand.NewPCG(seed, 0xb01c))
		sc := randomScenario(r)
		trace := []int{DefaultTraceCap, 8, 0}[r.IntN(3)]
		a := mustNew(t, Options{TraceCap: trace})
		b := mustNew(t, Options{TraceCap: trace})
		b.bulkMin = 1 // the arithmetic path for every gap with a release
		for _, op := range sc.ops {
			op(a)
			op(b)
		}
		gap := clock.FromMs(uint64(50 + r.IntN(12_000)))
		end := sc.at + gap
		if b.bulkable(end.Ns()) && b.running < 0 {
			bulkUsed++
		}
		a.Advance(end)
		b.AdvanceIdle(end)
		equalState(t, seed, "after the gap", a, b)
		a.RunSlices(end, 300)
		b.RunSlices(end, 300)
		equalState(t, seed, "after 300 slices", a, b)
		end2 := end + clock.FromMs(300) + clock.FromMs(uint64(r.IntN(20_000)))
		a.Advance(end2)
		b.AdvanceIdle(end2)
		equalState(t, seed, "after a second gap", a, b)
	}
	if bulkUsed < 120 {
		t.Fatalf("the arithmetic path ran only %d times", bulkUsed)
	}
}

// TestAdvanceIdleCenturies: a century of an unstarted 1 ms server is as
// cheap as a second, and exact in its counts.
func TestAdvanceIdleCenturies(t *testing.T) {
	s := mustNew(t, Options{})
	s.Admit(0, 500_000, ms, 0)
	century := clock.Ticks(100 * 365 * 24 * 3600 * uint64(clock.Hz))
	s.AdvanceIdle(century)
	st := s.Status()
	jobs := century.Ns()/ms + 1 // releases at 0, 1 ms, …, the century
	if st.Misses != jobs-1 || st.Dropped != jobs-MaxPending || st.Servers[0].Pending != MaxPending {
		t.Fatalf("misses %d dropped %d pending %d (jobs %d)", st.Misses, st.Dropped, st.Servers[0].Pending, jobs)
	}
	recs := s.Trace(nil)
	if len(recs) != DefaultTraceCap || recs[len(recs)-1].Seq != jobs-1 || recs[len(recs)-1].K != jobs-2 {
		t.Fatalf("last record %+v", recs[len(recs)-1])
	}
}

// TestAdvanceIdleToTheEndOfTime: an idle stretch reaching the end of time
// (the machine clock's ns saturate there, e.g. after `vclock advance
// 18446744073709551615`) is computed arithmetically like any other; it
// used to fall back to one event at a time, ~10^13 events for a 2 ms
// server. Events whose time saturates never fall due: the last job is
// released before 2^64-1 ns, its deadline is not.
func TestAdvanceIdleToTheEndOfTime(t *testing.T) {
	for _, end := range []clock.Ticks{^clock.Ticks(0), clock.Ticks(never / clock.NsPerTick)} {
		s := mustNew(t, Options{})
		s.Admit(0, ms, 2*ms, 0)
		s.AdvanceIdle(end)
		st := s.Status()
		jobs := (never-1)/(2*ms) + 1     // releases at k·2 ms <= 2^64-2
		misses := (never - 1) / (2 * ms) // deadlines (k+1)·2 ms <= 2^64-2
		if st.Misses != misses || st.Dropped != jobs-MaxPending || st.Servers[0].Pending != MaxPending {
			t.Fatalf("end %d: misses %d dropped %d pending %d, want %d %d %d", end, st.Misses, st.Dropped, st.Servers[0].Pending, misses, jobs-MaxPending, MaxPending)
		}
		if recs := s.Trace(nil); len(recs) != DefaultTraceCap || recs[len(recs)-1].K != misses-1 {
			t.Fatalf("last record %+v", recs[len(recs)-1])
		}
		s.Advance(end) // nothing left to do
		if _, ok := s.NextDue(); ok {
			t.Fatal("an event is due after the end of time")
		}
	}
}
