package sched

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/sisemu/sisemu/sched/clock"
)

// benchScheduler admits n servers with periods of 8n..16n slices and
// budgets of 1..14 slices (about 60% utilisation whatever n), staggered
// over the first period, and runs it until every server has released jobs.
func benchScheduler(b *testing.B, n int) (*Scheduler, uint64) {
	b.Helper()
	const L = DefaultSliceNs
	s, err := New(Options{Slots: n, BoundPPM: 1_000_000, TraceCap: DefaultTraceCap})
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(uint64(n), 7))
	for i := range n {
		p := uint64(8*n+r.IntN(8*n+1)) * L
		q := uint64(1+r.IntN(14)) * L
		at := uint64(i) * 8 * L
		if _, err := s.Admit(clock.FromNs(at), q, p, 0); err != nil {
			b.Fatalf("admit %d: %v", i, err)
		}
	}
	start := uint64(n) * 24 * L
	s.RunSlices(0, start/L)
	return s, start
}

// BenchmarkScheduler reports the cost of one scheduling event (release,
// dispatch, completion, throttle, replenishment, miss) for 10 to 10,000
// servers: `go test ./sched -run - -bench Scheduler -benchtime 2000000x`.
func BenchmarkScheduler(b *testing.B) {
	for _, n := range []int{10, 100, 1000, 10000} {
		b.Run(fmt.Sprintf("servers=%d", n), func(b *testing.B) {
			s, start := benchScheduler(b, n)
			ev0 := s.EventCount()
			b.ReportAllocs()
			b.ResetTimer()
			s.RunSlices(clock.FromNs(start), uint64(b.N))
			b.StopTimer()
			ev := s.EventCount() - ev0
			if ev == 0 {
				return // a tiny b.N can fall on idle slices
			}
			sec := b.Elapsed().Seconds()
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(ev), "ns/event")
			b.ReportMetric(float64(ev)/sec, "events/s")
			b.ReportMetric(float64(ev)/float64(b.N), "events/slice")
		})
	}
}
