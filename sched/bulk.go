package sched

import (
	"container/heap"

	"github.com/sisemu/sisemu/sched/clock"
)

// bulkMinEvents is the estimated number of events in an idle gap from
// which AdvanceIdle computes the gap arithmetically instead of event by
// event.
const bulkMinEvents = 4096

// AdvanceIdle is Advance for a stretch in which no slice runs (the graph is
// not started): the same releases, deadline misses, drops, replenishments,
// counters and trace records, in the same order. A long stretch is computed
// arithmetically per server (without slices servers do not interact), so
// that a server with a 1 ms period costs the same over a second as over a
// century. The events of such a stretch are not recorded (DrainEvents sees
// none of them); a short one is processed, and recorded, by Advance. With a
// slice in progress AdvanceIdle is Advance.
func (s *Scheduler) AdvanceIdle(now clock.Ticks) {
	T := now.Ns()
	if s.running >= 0 || T <= s.now {
		s.advanceNs(T)
		return
	}
	// Near the end of time the arithmetic would saturate: take the gap
	// arithmetically up to the last time it allows, then the short rest
	// (at most about max(D, P)/P releases a server) event by event.
	if lim := s.bulkLimit(); T > lim && lim > s.now && s.bulkable(lim) {
		s.bulk(lim)
	}
	if s.bulkable(T) {
		s.bulk(T)
	} else {
		s.advanceNs(T)
	}
}

// bulkLimit is the latest time up to which bulk's arithmetic cannot
// saturate: T + D and T + P stay below the end of time for every server.
func (s *Scheduler) bulkLimit() uint64 {
	var m uint64
	for i := range s.servers {
		m = max(m, s.servers[i].d, s.servers[i].p)
	}
	if m >= never-1 {
		return 0
	}
	return never - 1 - m
}

// bulkable reports whether the gap up to T is long enough to be worth the
// arithmetic and the servers fit its assumptions: every drop removes a
// job whose deadline has already been checked (D <= MaxPending·P), and
// no time saturates.
func (s *Scheduler) bulkable(T uint64) bool {
	if T == never {
		return false
	}
	var est uint64
	for i := range s.servers {
		sv := &s.servers[i]
		if sv.p == 0 || sv.d > mulSat(MaxPending, sv.p) || sat(T, sv.d) == never || sat(T, sv.p) == never {
			return false
		}
		if sv.nextRel <= T {
			est += 2 * ((T-sv.nextRel)/sv.p + 1)
		}
	}
	return est >= s.bulkMin
}

// missRun is one server's deadline misses in the gap: jobs k in [lo, hi]
// (consecutive, deadlines admit + k·P + D increasing).
type missRun struct {
	id     int
	lo, hi uint64
}

// bulk processes the idle gap (s.now, T] arithmetically.
func (s *Scheduler) bulk(T uint64) {
	runs := make([]missRun, 0, len(s.servers))
	kEnds := make([]uint64, 0, len(s.servers))
	var total uint64
	for i := range s.servers {
		sv := &s.servers[i]
		// Jobs k in [kc, kLast] have deadlines in (t0, T]: the first job
		// not checked yet up to the last job released by T whose deadline
		// is due by T.
		kc := sv.nextK
		if sv.check < len(sv.jobs) {
			kc = sv.jobs[sv.check].k
		}
		var kEnd uint64 // one past the last job released by T
		if sv.nextRel <= T {
			kEnd = (T-sv.admit)/sv.p + 1
		} else {
			kEnd = sv.nextK
		}
		// Deadline of job k: admit + k·P + D <= T  <=>  k <= (T - admit - D)/P.
		if T >= sat(sv.admit, sv.d) {
			kDue := (T-sv.admit-sv.d)/sv.p + 1 // jobs [0, kDue) are due
			kDue = min(kDue, kEnd)
			if kDue > kc {
				runs = append(runs, missRun{id: i, lo: kc, hi: kDue - 1})
				total += kDue - kc
			}
		}
		kEnds = append(kEnds, kEnd)
	}
	// Records first, while the jobs of before the gap are still there
	// (their start and runtime go into their records).
	written := s.bulkRecords(runs, total)
	for i := range s.servers {
		sv := &s.servers[i]
		s.bulkControl(sv, T)
		s.bulkJobs(sv, kEnds[i], T)
	}
	for _, w := range written {
		sv := &s.servers[w.id]
		if len(sv.jobs) > 0 && w.k >= sv.jobs[0].k && w.k-sv.jobs[0].k < uint64(len(sv.jobs)) {
			if j := &sv.jobs[w.k-sv.jobs[0].k]; j.seq == ^uint64(0) {
				j.seq = w.seq
			}
		}
	}
	s.misses += total
	s.now = T
	// Rebuild both heaps: which servers are eligible and when each
	// falls due next (heap shape may differ, pop order cannot: keys are
	// unique by id).
	s.ready = s.ready[:0]
	s.timers = s.timers[:0]
	s.tpos = s.tpos[:0]
	for i := range s.servers {
		sv := &s.servers[i]
		if sv.pending() > 0 && !sv.throttle && sv.runtime > 0 {
			s.ready.push(sv.dl, i)
		}
		s.timers.push(&s.tpos, sv.nextEvent(), i)
	}
}

// bulkControl replays the few events of the gap that change a server's
// budget and deadline: without execution there are at most a replenishment,
// the wake-up of the first release into an idle server, and the
// replenishment that wake-up may call for; every later release finds a
// pending job.
func (s *Scheduler) bulkControl(sv *server, T uint64) {
	rel := sv.nextRel // first release in the gap, if <= T
	if sv.throttle && sv.replAt <= T && (rel > T || sv.replAt <= rel) {
		sv.refill(sv.replAt)
	}
	if rel > T {
		return
	}
	if sv.pending() == 0 && !sv.throttle {
		sv.wake(rel)
	}
	if sv.throttle && sv.replAt <= T {
		sv.refill(sv.replAt)
	}
}

// bulkJobs releases the server's jobs up to kEnd (exclusive), drops the
// oldest beyond MaxPending, and marks the jobs whose deadline is due by T
// as missed (their trace sequence numbers are set by bulkRecords).
func (s *Scheduler) bulkJobs(sv *server, kEnd, T uint64) {
	p0 := uint64(sv.pending())
	r := kEnd - sv.nextK // releases in the gap
	final := p0 + r
	var drops uint64
	if r > 0 {
		if p0 >= MaxPending {
			final, drops = p0, r
		} else if final > MaxPending {
			final = MaxPending
			drops = p0 + r - final
		}
	}
	s.dropped += drops
	// Keep the last `final` jobs: jobs [kEnd-final, kEnd).
	kFirst := kEnd - final
	kept := sv.jobs[:0:0]
	if final > 0 {
		kept = make([]job, 0, final)
	}
	for _, j := range sv.jobs[sv.head:] {
		if j.k >= kFirst {
			kept = append(kept, j)
		}
	}
	for k := max(sv.nextK, kFirst); k < kEnd; k++ {
		rel := sv.admit + k*sv.p
		kept = append(kept, job{k: k, rel: rel, dl: rel + sv.d, demand: sv.demandOf(k), start: -1})
	}
	sv.jobs = kept
	sv.head = 0
	sv.check = len(kept)
	for i := range kept {
		j := &kept[i]
		if j.dl > T {
			sv.check = i
			break
		}
		if !j.missed {
			j.missed = true
			j.seq = ^uint64(0) // not in the ring unless bulkRecords says so
		}
	}
	sv.nextK = kEnd
	sv.nextRel = sat(sv.admit, mulSat(kEnd, sv.p))
}

// missHeap orders the servers' next-latest misses, latest first: by
// deadline, then server id, both descending (the reverse of the order in
// which Advance would have entered them).
type missHeap struct {
	s    *Scheduler
	runs []missRun
}

func (h *missHeap) dl(r missRun) uint64 {
	sv := &h.s.servers[r.id]
	return sv.admit + r.hi*sv.p + sv.d
}
func (h *missHeap) Len() int { return len(h.runs) }
func (h *missHeap) Less(a, b int) bool {
	da, db := h.dl(h.runs[a]), h.dl(h.runs[b])
	return da > db || (da == db && h.runs[a].id > h.runs[b].id)
}
func (h *missHeap) Swap(a, b int) { h.runs[a], h.runs[b] = h.runs[b], h.runs[a] }
func (h *missHeap) Push(x any)    { h.runs = append(h.runs, x.(missRun)) }
func (h *missHeap) Pop() any {
	x := h.runs[len(h.runs)-1]
	h.runs = h.runs[:len(h.runs)-1]
	return x
}

// seqOf is a trace sequence number given to job k of server id.
type seqOf struct {
	id     int
	k, seq uint64
}

// bulkRecords enters the gap's total misses into the trace: the sequence
// numbers advance by total, and the last min(total, ring size) records are
// written, found by merging the servers' miss runs backwards. It returns
// the (server, job, seq) of the records written, so that kept jobs can
// carry their sequence number and a later completion fills the record in
// place.
func (s *Scheduler) bulkRecords(runs []missRun, total uint64) []seqOf {
	if total == 0 {
		return nil
	}
	base := s.nextSeq
	s.nextSeq += total
	if len(s.ring) == 0 {
		return nil
	}
	n := min(total, uint64(len(s.ring)))
	written := make([]seqOf, 0, n)
	h := &missHeap{s: s, runs: runs}
	heap.Init(h)
	for r := uint64(0); r < n; r++ {
		top := h.runs[0]
		seq := base + total - 1 - r
		sv := &s.servers[top.id]
		k := top.hi
		rec := JobRecord{Seq: seq, K: k, Task: uint32(top.id), ReleaseNs: sv.admit + k*sv.p,
			DeadlineNs: sv.admit + k*sv.p + sv.d, StartSlice: -1, FinishSlice: -1, Missed: true}
		if p := sv.pending(); p > 0 && k >= sv.jobs[sv.head].k && k-sv.jobs[sv.head].k < uint64(p) {
			j := &sv.jobs[sv.head+int(k-sv.jobs[sv.head].k)]
			rec.StartSlice, rec.RuntimeNs = j.start, j.exec
		}
		s.ring[(seq-1)%uint64(len(s.ring))] = rec
		written = append(written, seqOf{id: top.id, k: k, seq: seq})
		if top.hi == top.lo {
			heap.Pop(h)
		} else {
			h.runs[0].hi--
			heap.Fix(h, 0)
		}
	}
	return written
}
