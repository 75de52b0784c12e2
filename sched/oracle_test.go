package sched

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/sisemu/sisemu/sched/clock"
)

// The oracle is a second, deliberately naive implementation of sched.md
// §4.2: no heaps, no event queue. Before and inside every slice it scans
// every server for the earliest pending event; at every dispatch it scans
// every server for the earliest scheduling deadline. It shares no code with
// the scheduler except the JobRecord type.

type oJob struct {
	k, rel, dl, demand, exec uint64
	start                    int64
	rec                      int // index into oracle.trace, -1 none
	over, missed, checked    bool
}

type oServer struct {
	q, d, p, admit, demand uint64
	nextK                  uint64
	dl                     uint64
	runtime                int64
	fresh, throttled       bool
	repl                   uint64
	jobs                   []*oJob
}

type oracle struct {
	L        uint64
	sv       []*oServer
	trace    []JobRecord
	misses   uint64
	overruns uint64
	jitter   []uint64
}

func (o *oracle) admit(at, q, p, d uint64) {
	if d == 0 {
		d = p
	}
	o.sv = append(o.sv, &oServer{q: q, d: d, p: p, admit: at, demand: q, fresh: true})
}

// next returns the earliest event time over all servers and which server.
func (o *oracle) next() (uint64, int) {
	best, who := ^uint64(0), -1
	for i, s := range o.sv {
		t := s.admit + s.nextK*s.p
		for _, j := range s.jobs {
			if !j.checked && j.dl < t {
				t = j.dl
			}
		}
		if s.throttled && s.repl < t {
			t = s.repl
		}
		if t < best {
			best, who = t, i
		}
	}
	return best, who
}

func (o *oracle) events(upTo uint64, running int) {
	for {
		t, i := o.next()
		if i < 0 || t > upTo {
			return
		}
		s := o.sv[i]
		for _, j := range s.jobs {
			if !j.checked && j.dl <= t {
				j.checked, j.missed = true, true
				o.misses++
				j.rec = len(o.trace)
				o.trace = append(o.trace, JobRecord{K: j.k, Task: uint32(i), ReleaseNs: j.rel, DeadlineNs: j.dl,
					StartSlice: j.start, FinishSlice: -1, RuntimeNs: j.exec, Missed: true})
			}
		}
		if s.throttled && s.repl <= t {
			for s.runtime <= 0 {
				s.dl += s.p
				s.runtime += int64(s.q)
			}
			if s.dl < t {
				s.dl, s.runtime = t+s.d, int64(s.q)
			}
			s.throttled = false
		}
		if rel := s.admit + s.nextK*s.p; rel <= t {
			if len(s.jobs) == 0 && !s.throttled && running != i {
				if s.fresh || s.dl < t {
					s.fresh = false
					s.dl, s.runtime = t+s.d, int64(s.q)
				} else if s.runtime > 0 && uint64(s.runtime)*s.p > (s.dl-t)*s.q {
					if s.d >= s.p {
						s.dl, s.runtime = t+s.d, int64(s.q)
					} else {
						s.runtime = int64((s.dl - t) * s.q / s.d)
					}
				}
				if s.runtime <= 0 {
					s.throttled = true
					s.repl = max(s.dl+s.p-s.d, t)
				}
			}
			s.jobs = append(s.jobs, &oJob{k: s.nextK, rel: t, dl: t + s.d, demand: s.demand, start: -1, rec: -1})
			s.nextK++
		}
	}
}

func (o *oracle) slice(t0 uint64) {
	o.events(t0, -1)
	best := -1
	for i, s := range o.sv {
		if len(s.jobs) == 0 || s.throttled || s.runtime <= 0 {
			continue
		}
		if best < 0 || s.dl < o.sv[best].dl {
			best = i
		}
	}
	if best < 0 {
		o.events(t0+o.L, -1)
		return
	}
	s := o.sv[best]
	j := s.jobs[0]
	idx := int64(t0 / o.L)
	if j.start < 0 {
		j.start = idx
	}
	used := min(o.L, j.demand-j.exec)
	end := t0 + used
	if end > t0 {
		o.events(end-1, best)
	}
	j.exec += used
	s.runtime -= int64(used)
	if j.exec > s.q && !j.over {
		j.over = true
		o.overruns++
	}
	if j.exec >= j.demand {
		jit := j.exec - s.q
		if j.exec < s.q {
			jit = s.q - j.exec
		}
		o.jitter = append(o.jitter, jit)
		if j.rec >= 0 {
			o.trace[j.rec].StartSlice = j.start
			o.trace[j.rec].FinishSlice = idx
			o.trace[j.rec].RuntimeNs = j.exec
		} else {
			o.trace = append(o.trace, JobRecord{K: j.k, Task: uint32(best), ReleaseNs: j.rel, DeadlineNs: j.dl,
				StartSlice: j.start, FinishSlice: idx, RuntimeNs: j.exec})
		}
		j.checked = true
		s.jobs = s.jobs[1:]
	}
	if s.runtime <= 0 {
		s.throttled = true
		s.repl = max(s.dl+s.p-s.d, end)
	}
	o.events(t0+o.L, -1)
}

// taskSet is a random scenario: servers admitted at given slices, per-server
// demand changes, n slices run from slice 0.
type taskSet struct {
	L      uint64
	q      []uint64
	p      []uint64
	d      []uint64
	at     []uint64 // admission time (ns)
	demand []uint64 // 0: Q
	slices uint64
}

func randomTaskSet(r *rand.Rand, overload bool) taskSet {
	ts := taskSet{L: 16 * uint64(1+r.IntN(4)), slices: uint64(50 + r.IntN(400))}
	n := 1 + r.IntN(6)
	for range n {
		p := ts.L * uint64(2+r.IntN(20))
		if r.IntN(3) == 0 {
			p += 16 * uint64(r.IntN(8)) // periods off the slice grid
		}
		d := p
		switch r.IntN(4) {
		case 0:
			d = p / 2
		case 1:
			d = 0
		}
		dd := d
		if dd == 0 {
			dd = p
		}
		q := max(1, uint64(r.Int64N(int64(dd)))/uint64(n))
		if overload {
			q = max(1, dd/2+uint64(r.Int64N(int64(dd/2+1))))
		}
		var dem uint64
		if r.IntN(3) == 0 {
			dem = max(1, q/2+uint64(r.Int64N(int64(q*2+1))))
		}
		ts.q = append(ts.q, q)
		ts.p = append(ts.p, p)
		ts.d = append(ts.d, d)
		ts.at = append(ts.at, ts.L*uint64(r.IntN(10))+16*uint64(r.IntN(3)))
		ts.demand = append(ts.demand, dem)
	}
	return ts
}

// runBoth runs the task set on the scheduler and on the oracle, admitting
// servers at their times (in id order per time) and running slices.
func runBoth(t *testing.T, ts taskSet) (*Scheduler, *oracle) {
	t.Helper()
	s, err := New(Options{SliceNs: ts.L, BoundPPM: ^uint32(0), Slots: 64, TraceCap: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	o := &oracle{L: ts.L}
	order := make([]int, len(ts.q))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return int(ts.at[a]) - int(ts.at[b]) })
	ids := make([]int, len(ts.q))
	next := 0
	for k := uint64(0); k < ts.slices; k++ {
		t0 := k * ts.L
		for next < len(order) && ts.at[order[next]] <= t0 {
			i := order[next]
			at := ts.at[i]
			// Admission happens at its own time, between slices.
			s.advanceNs(at)
			o.events(at, -1)
			id, err := s.Admit(clock.Ticks(at/16), ts.q[i], ts.p[i], ts.d[i])
			if err != nil {
				t.Fatalf("admit %d: %v", i, err)
			}
			ids[i] = id
			o.admit(at, ts.q[i], ts.p[i], ts.d[i])
			o.events(at, -1) // the first job is released by the admission
			if ts.demand[i] != 0 {
				if err := s.SetDemand(clock.Ticks(at/16), id, ts.demand[i]); err != nil {
					t.Fatal(err)
				}
				o.sv[id].demand = ts.demand[i]
			}
			o.events(at, -1)
			next++
		}
		if _, _, err := s.Dispatch(clock.Ticks(t0 / 16)); err != nil {
			t.Fatal(err)
		}
		o.slice(t0)
		checkInvariants(t, s)
	}
	s.advanceNs(ts.slices * ts.L)
	return s, o
}

func compare(t *testing.T, seed uint64, s *Scheduler, o *oracle) {
	t.Helper()
	got := s.Trace(nil)
	want := slices.Clone(o.trace)
	for i := range want {
		want[i].Seq = uint64(i + 1)
	}
	if len(got) != len(want) {
		t.Fatalf("seed %d: %d records, oracle %d", seed, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("seed %d: record %d\n got %+v\nwant %+v", seed, i, got[i], want[i])
		}
	}
	st := s.Status()
	if st.Misses != o.misses || st.Overruns != o.overruns || st.JitterSamples != uint64(len(o.jitter)) {
		t.Fatalf("seed %d: misses %d/%d overruns %d/%d jitter %d/%d", seed, st.Misses, o.misses, st.Overruns, o.overruns, st.JitterSamples, len(o.jitter))
	}
}

// TestHeapSchedulerMatchesOracle: on random task sets (under- and
// overloaded, constrained deadlines, overrunning demands, unaligned
// periods and admissions) the heap scheduler's trace and counters equal
// the brute-force oracle's.
func TestHeapSchedulerMatchesOracle(t *testing.T) {
	for seed := uint64(1); seed <= 400; seed++ {
		r := rand.New(rand.NewPCG(seed, 0xCB5))
		ts := randomTaskSet(r, seed%3 == 0)
		s, o := runBoth(t, ts)
		compare(t, seed, s, o)
	}
}

// TestOverloadMissesWhereOracleMisses: in overloaded sets misses happen,
// and exactly the oracle's jobs miss.
func TestOverloadMissesWhereOracleMisses(t *testing.T) {
	total := uint64(0)
	for seed := uint64(1000); seed < 1100; seed++ {
		r := rand.New(rand.NewPCG(seed, 0x0FE))
		ts := randomTaskSet(r, true)
		ts.slices = 300
		s, o := runBoth(t, ts)
		compare(t, seed, s, o)
		var gotMissed, wantMissed []string
		for _, rec := range s.Trace(nil) {
			if rec.Missed {
				gotMissed = append(gotMissed, fmt.Sprintf("%d/%d", rec.Task, rec.K))
			}
		}
		for _, rec := range o.trace {
			if rec.Missed {
				wantMissed = append(wantMissed, fmt.Sprintf("%d/%d", rec.Task, rec.K))
			}
		}
		if !slices.Equal(gotMissed, wantMissed) {
			t.Fatalf("seed %d: missed %v, oracle %v", seed, gotMissed, wantMissed)
		}
		total += s.Status().Misses
	}
	if total == 0 {
		t.Fatal("overloaded sets produced no miss at all")
	}
}

// TestImplicitDeadlinesUnderFullUtilisationMissNothing: slice-aligned
// implicit-deadline sets (Q and P whole slices, D = P) with utilisation at
// most 100% never miss under EDF, whatever the admission times.
func TestImplicitDeadlinesUnderFullUtilisationMissNothing(t *testing.T) {
	const L = 1_000_000
	for seed := uint64(1); seed <= 300; seed++ {
		r := rand.New(rand.NewPCG(seed, 0x1DD))
		ts := taskSet{L: L, slices: 600}
		budget := 1_000_000 // ppm left
		n := 1 + r.IntN(8)
		for i := 0; i < n && budget > 0; i++ {
			p := uint64(2 + r.IntN(30))
			maxQ := uint64(budget) * p / 1_000_000
			if i == n-1 {
				// Fill to exactly 100% where the grid allows.
				maxQ = uint64(budget) * p / 1_000_000
			}
			if maxQ == 0 {
				continue
			}
			q := 1 + uint64(r.Int64N(int64(maxQ)))
			if i == n-1 {
				q = maxQ
			}
			budget -= int(q * 1_000_000 / p)
			if q*1_000_000%p != 0 {
				budget-- // stay under 100% after the floor
			}
			ts.q = append(ts.q, q*L)
			ts.p = append(ts.p, p*L)
			ts.d = append(ts.d, 0)
			ts.at = append(ts.at, uint64(r.IntN(5))*L)
			ts.demand = append(ts.demand, 0)
		}
		s, o := runBoth(t, ts)
		compare(t, seed, s, o)
		if st := s.Status(); st.Misses != 0 || st.Overruns != 0 {
			t.Fatalf("seed %d: %d misses, %d overruns at U<=100%% (set %+v)", seed, st.Misses, st.Overruns, ts)
		}
	}
}

// checkInvariants verifies what nextEvent relies on: pending jobs are
// consecutive, released on the period grid, with deadline release + D,
// ending at job nextK-1; and the heaps hold what they should.
func checkInvariants(t *testing.T, s *Scheduler) {
	t.Helper()
	for id := range s.servers {
		sv := &s.servers[id]
		for i := sv.head; i < len(sv.jobs); i++ {
			j := sv.jobs[i]
			want := sv.nextK - uint64(len(sv.jobs)-i)
			if j.k != want || j.rel != sv.admit+j.k*sv.p || j.dl != j.rel+sv.d {
				t.Fatalf("server %d job %d: %+v (want k %d)", id, i, j, want)
			}
		}
		if sv.check < sv.head || sv.check > len(sv.jobs) {
			t.Fatalf("server %d: check %d head %d len %d", id, sv.check, sv.head, len(sv.jobs))
		}
		if s.timers[s.tpos[id]].id != id || s.timers[s.tpos[id]].key != sv.nextEvent() {
			t.Fatalf("server %d: timer entry %+v, next event %d", id, s.timers[s.tpos[id]], sv.nextEvent())
		}
	}
}
