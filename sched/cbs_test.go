package sched

import (
	"errors"
	"slices"
	"testing"

	"github.com/sisemu/sisemu/sched/clock"
)

const ms = 1_000_000

func tk(ns uint64) clock.Ticks { return clock.FromNs(ns) }

func mustNew(t *testing.T, o Options) *Scheduler {
	t.Helper()
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOptionsValidation(t *testing.T) {
	for _, o := range []Options{{SliceNs: 1000 + 4}, {Slots: -1}, {TraceCap: -1}} {
		if _, err := New(o); !errors.Is(err, ErrBadOptions) {
			t.Errorf("New(%+v) err=%v, want ErrBadOptions", o, err)
		}
	}
	s := mustNew(t, Options{})
	if s.SliceNs() != DefaultSliceNs || s.Enabled() {
		t.Fatal("defaults")
	}
}

// TestOverrunThrottlePostpone pins Q4 and Q6: a job that overruns its
// budget throttles the server until d-D+P, misses its deadline once, and
// its record gets the finish slice when it completes later.
func TestOverrunThrottlePostpone(t *testing.T) {
	s := mustNew(t, Options{RecordEvents: true})
	if _, err := s.Admit(0, 2*ms, 10*ms, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDemand(0, 0, 3*ms); err != nil {
		t.Fatal(err)
	}
	// SetDemand applies to later jobs: job 0 was released by Admit with
	// demand Q.
	s.RunSlices(0, 30)
	want := []JobRecord{
		{Seq: 1, K: 0, Task: 0, ReleaseNs: 0, DeadlineNs: 10 * ms, StartSlice: 0, FinishSlice: 1, RuntimeNs: 2 * ms},
		// Job 1 (3 ms) runs slices 10, 11, is throttled at runtime 0 until
		// 20 ms, misses at 20 ms and finishes in slice 20.
		{Seq: 2, K: 1, Task: 0, ReleaseNs: 10 * ms, DeadlineNs: 20 * ms, StartSlice: 10, FinishSlice: 20, RuntimeNs: 3 * ms, Missed: true},
	}
	got := s.Trace(nil)
	if len(got) < 2 || !slices.Equal(got[:2], want) {
		t.Fatalf("trace\n got %+v\nwant %+v", got, want)
	}
	st := s.Status()
	// Job 1 overran in slice 20; job 2 ran 1 ms in slice 21, throttled,
	// and missed at 30 ms.
	if st.Overruns != 1 || st.Misses != 2 {
		t.Fatalf("overruns=%d misses=%d, want 1 2", st.Overruns, st.Misses)
	}
	if st.JitterSamples != 2 || st.MaxJitterNs != ms || st.MeanJitterNs != ms/2 {
		t.Fatalf("jitter %d max %d mean %d", st.JitterSamples, st.MaxJitterNs, st.MeanJitterNs)
	}
	// Replenishment postpones the scheduling deadline by one period per
	// refill: throttled at 21 ms with d = 30 ms, refilled at 30 ms to
	// d = 40 ms and runtime Q, ready for job 2.
	ev := s.DrainEvents(nil)
	var kinds []EventKind
	for _, e := range ev {
		if e.Server == 0 && e.AtNs >= 10*ms && e.AtNs <= 12*ms {
			kinds = append(kinds, e.Kind)
		}
	}
	wantKinds := []EventKind{EventReplenish, EventRelease, EventDispatch, EventDispatch, EventThrottle}
	if !slices.Equal(kinds, wantKinds) {
		t.Fatalf("events 10-12 ms: %v, want %v", kinds, wantKinds)
	}
	sv := s.Status().Servers[0]
	if sv.State != StateReady || sv.DeadlineNs != 40*ms || sv.RuntimeNs != 2*ms || sv.Pending != 2 {
		t.Fatalf("server at 30 ms: %+v", sv)
	}
}

// TestEDFAcrossServers pins Q1, Q2 and Q5: every slice considers every
// eligible server (EDF does not stop after one dispatch), there are no stale
// entries, and the dispatched server is the one charged.
func TestEDFAcrossServers(t *testing.T) {
	s := mustNew(t, Options{})
	// A: 2 ms every 10 ms; B: 3 ms every 5 ms; C: 1 ms every 20 ms, D = 4 ms.
	for _, p := range [][3]uint64{{2 * ms, 10 * ms, 0}, {ms, 5 * ms, 0}, {ms, 20 * ms, 4 * ms}} {
		if _, err := s.Admit(0, p[0], p[1], p[2]); err != nil {
			t.Fatal(err)
		}
	}
	s.RunSlices(0, 20)
	// Deadlines at 0: A 10, B 5, C 4 => C, B, A, A. B1 at slice 5; at 10 ms
	// A1 (d 20) and B2 (d 15): B first; B3 at 15; C1 is released at 20.
	wantRecs := []JobRecord{
		{Seq: 1, K: 0, Task: 2, ReleaseNs: 0, DeadlineNs: 4 * ms, StartSlice: 0, FinishSlice: 0, RuntimeNs: ms},
		{Seq: 2, K: 0, Task: 1, ReleaseNs: 0, DeadlineNs: 5 * ms, StartSlice: 1, FinishSlice: 1, RuntimeNs: ms},
		{Seq: 3, K: 0, Task: 0, ReleaseNs: 0, DeadlineNs: 10 * ms, StartSlice: 2, FinishSlice: 3, RuntimeNs: 2 * ms},
		{Seq: 4, K: 1, Task: 1, ReleaseNs: 5 * ms, DeadlineNs: 10 * ms, StartSlice: 5, FinishSlice: 5, RuntimeNs: ms},
		{Seq: 5, K: 2, Task: 1, ReleaseNs: 10 * ms, DeadlineNs: 15 * ms, StartSlice: 10, FinishSlice: 10, RuntimeNs: ms},
		{Seq: 6, K: 1, Task: 0, ReleaseNs: 10 * ms, DeadlineNs: 20 * ms, StartSlice: 11, FinishSlice: 12, RuntimeNs: 2 * ms},
		{Seq: 7, K: 3, Task: 1, ReleaseNs: 15 * ms, DeadlineNs: 20 * ms, StartSlice: 15, FinishSlice: 15, RuntimeNs: ms},
	}
	if recs := s.Trace(nil); !slices.Equal(recs, wantRecs) {
		t.Fatalf("trace\n got %+v\nwant %+v", recs, wantRecs)
	}
	if st := s.Status(); st.Misses != 0 || st.Overruns != 0 || st.JitterSamples != 7 || st.MaxJitterNs != 0 {
		t.Fatalf("status %+v", st)
	}
}

// TestTiesGoToLowerID: equal scheduling deadlines dispatch the lower id.
func TestTiesGoToLowerID(t *testing.T) {
	s := mustNew(t, Options{})
	for range 3 {
		if _, err := s.Admit(0, ms, 10*ms, 0); err != nil {
			t.Fatal(err)
		}
	}
	s.RunSlices(0, 3)
	for i, r := range s.Trace(nil) {
		if r.Task != uint32(i) || r.StartSlice != int64(i) {
			t.Fatalf("record %d: %+v", i, r)
		}
	}
}

// TestMissWithoutSlices: time passing without slices (graph not started)
// still releases jobs and counts their misses (sched.md §4.1 Decisions).
func TestMissWithoutSlices(t *testing.T) {
	s := mustNew(t, Options{})
	if _, err := s.Admit(tk(ms), 3*ms, 10*ms, 10*ms); err != nil {
		t.Fatal(err)
	}
	s.Advance(tk(ms + 10*ms - 16))
	if s.Status().Misses != 0 {
		t.Fatal("miss before the deadline")
	}
	s.Advance(tk(ms + 10*ms))
	if s.Status().Misses != 1 {
		t.Fatal("no miss at the deadline")
	}
	s.Advance(tk(ms + 255*ms))
	st := s.Status()
	if st.Misses != 25 || st.Servers[0].Pending != 26 {
		t.Fatalf("misses=%d pending=%d, want 25 26", st.Misses, st.Servers[0].Pending)
	}
	if due, ok := s.NextDue(); !ok || due != tk(ms+260*ms) {
		t.Fatalf("next due %d %v", due, ok)
	}
}

// TestOffResetAndCounters pins Q7 and Q11.
func TestOffResetAndCounters(t *testing.T) {
	s := mustNew(t, Options{})
	s.Admit(0, 5*ms, 10*ms, 0)
	s.Advance(tk(35 * ms))
	s.RecordAIInference(3000, true)
	s.RecordAIInference(5000, false)
	st := s.Status()
	if st.Misses != 3 || st.AIInferences != 2 || st.AIAvgLatencyNs != 4000 || st.AIDeadlineMisses != 1 {
		t.Fatalf("status %+v", st)
	}
	s.ResetCounters()
	st = s.Status()
	if st.Misses != 0 || st.Overruns != 0 || st.JitterSamples != 0 || st.AIInferences != 0 || !st.Enabled || st.UsedPPM != 500_000 {
		t.Fatalf("after reset %+v", st)
	}
	n := s.TraceLen()
	s.Off(tk(36 * ms))
	st = s.Status()
	if st.Enabled || st.UsedPPM != 0 || len(st.Servers) != 0 || st.Accepted != 1 || s.TraceLen() != n || st.WCETNs != 5*ms {
		t.Fatalf("after off %+v", st)
	}
	if _, ok := s.NextDue(); ok {
		t.Fatal("events after Off")
	}
	if err := s.SetDemand(0, 0, 1); !errors.Is(err, ErrNoServer) {
		t.Fatalf("SetDemand after Off: %v", err)
	}
}

func TestTraceRingWrapAndClear(t *testing.T) {
	s := mustNew(t, Options{TraceCap: 4})
	s.Admit(0, ms, 2*ms, 0)
	s.RunSlices(0, 20) // 10 jobs
	recs := s.Trace(nil)
	if len(recs) != 4 || recs[0].Seq != 7 || recs[3].Seq != 10 || recs[3].K != 9 {
		t.Fatalf("ring %+v", recs)
	}
	s.ClearTrace()
	if s.TraceLen() != 0 || len(s.Trace(nil)) != 0 {
		t.Fatal("clear")
	}
	s.RunSlices(tk(20*ms), 2)
	if recs := s.Trace(nil); len(recs) != 1 || recs[0].Seq != 11 {
		t.Fatalf("after clear %+v", recs)
	}
}

func TestDispatchInProgress(t *testing.T) {
	s := mustNew(t, Options{})
	s.Admit(0, 2*ms, 10*ms, 0)
	if id, used, err := s.Dispatch(0); id != 0 || used != ms || err != nil {
		t.Fatalf("dispatch %d %d %v", id, used, err)
	}
	if st := s.Status().Servers[0].State; st != StateRunning {
		t.Fatalf("state %v", st)
	}
	if _, _, err := s.Dispatch(tk(ms / 2)); !errors.Is(err, ErrSliceInProgress) {
		t.Fatalf("err %v", err)
	}
	if id, _, err := s.Dispatch(tk(ms)); id != 0 || err != nil {
		t.Fatal("second slice")
	}
}

func TestStateAndKindNames(t *testing.T) {
	if StateIdle.String() != "idle" || StateReady.String() != "ready" || StateRunning.String() != "running" ||
		StateThrottled.String() != "throttled" || ServerState(9).String() != "ServerState(9)" {
		t.Fatal("state names")
	}
	if EventMiss.String() != "miss" || EventKind(99).String() != "EventKind(99)" {
		t.Fatal("event names")
	}
}

// TestBacklogIsBounded: a server that never gets a slice keeps at most
// MaxPending jobs; older ones are abandoned after being counted as misses,
// and a slice afterwards still runs the oldest job left.
func TestBacklogIsBounded(t *testing.T) {
	s := mustNew(t, Options{RecordEvents: true, TraceCap: 8192})
	s.Admit(0, 500_000, ms, 0)
	s.Advance(tk(5000*ms - 16)) // releases at 0..4999 ms
	st := s.Status()
	if st.Servers[0].Pending != MaxPending || st.Dropped != 5000-MaxPending || st.Misses != 4999 {
		t.Fatalf("pending %d dropped %d misses %d", st.Servers[0].Pending, st.Dropped, st.Misses)
	}
	var drops int
	for _, e := range s.DrainEvents(nil) {
		if e.Kind == EventDrop {
			drops++
		}
	}
	if drops != 5000-MaxPending {
		t.Fatalf("%d drop events", drops)
	}
	id, used, err := s.Dispatch(tk(5000 * ms))
	if id != 0 || used != 500_000 || err != nil {
		t.Fatalf("dispatch %d %d %v", id, used, err)
	}
	s.Advance(tk(5001 * ms))
	// The dispatch at 5000 ms first released job 5000, dropping job 904; the
	// oldest kept job, 905, ran, and its miss record is completed in place.
	var found bool
	for _, r := range s.Trace(nil) {
		if r.K == 5001-MaxPending {
			found = r.FinishSlice == 5000 && r.Missed && r.RuntimeNs == 500_000
		}
	}
	if !found {
		t.Fatal("the oldest kept job's record was not completed")
	}
	s.ResetCounters()
	if s.Status().Dropped != 0 {
		t.Fatal("reset keeps drops")
	}
}

// TestEndOfTime: at the saturated end of the clock nothing falls due any
// more (no endless releases at 2^64-1 ns), and nothing panics.
func TestEndOfTime(t *testing.T) {
	s := mustNew(t, Options{})
	end := clock.Ticks(^uint64(0) / clock.NsPerTick) // the last tick whose ns does not saturate
	if _, err := s.Admit(end-tk(5*ms), ms, 2*ms, 0); err != nil {
		t.Fatal(err)
	}
	s.RunSlices(end-tk(5*ms), 10)
	s.Advance(end)
	if _, ok := s.NextDue(); ok {
		t.Fatal("an event is due after the end of time")
	}
	st := s.Status()
	if st.JitterSamples == 0 {
		t.Fatal("no job ran before the end")
	}
	s2 := mustNew(t, Options{})
	if _, err := s2.Admit(end, ms, 2*ms, 0); err != nil {
		t.Fatal(err)
	}
	s2.RunSlices(end, 3)
	s2.Advance(end)
}
