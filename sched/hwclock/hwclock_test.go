package hwclock

import (
	"runtime"
	"sync"
	"testing"

	"github.com/sisemu/sisemu/sched/clock"
)

// fake is a scripted counter.
type fake struct {
	vals []uint64
	i    int
	freq uint64
}

func (f *fake) read() uint64 {
	v := f.vals[min(f.i, len(f.vals)-1)]
	f.i++
	return v
}

func (f *fake) frequency() uint64 { return f.freq }

func TestRegressionGuard(t *testing.T) {
	// The first value is the origin.
	k := newClock(&fake{vals: []uint64{100, 110, 130, 120, 125, 140}, freq: 1000})
	var got []clock.Ticks
	for range 5 {
		got = append(got, k.Now())
	}
	want := []clock.Ticks{10, 30, 30, 30, 40}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("readings %v, want %v", got, want)
		}
	}
	if k.Regressions() != 2 {
		t.Fatalf("regressions %d, want 2", k.Regressions())
	}
	if k.Frequency() != 1000 || k.Kind() != "cntvct" {
		t.Fatalf("freq %d kind %s", k.Frequency(), k.Kind())
	}
}

func TestConversions(t *testing.T) {
	for _, c := range []struct{ ticks, freq, ns uint64 }{
		{62_500, clock.Hz, 1_000_000},
		{1, clock.Hz, 16},
		{24_000_000, 24_000_000, 1_000_000_000}, // a 24 MHz board timer
		{1, 24_000_000, 41},                     // truncating
		{5, 1_000_000_000, 5},
		{^uint64(0), 1, ^uint64(0)}, // saturates
		{7, 0, 0},
	} {
		if got := ToNs(c.ticks, c.freq); got != c.ns {
			t.Errorf("ToNs(%d, %d) = %d, want %d", c.ticks, c.freq, got, c.ns)
		}
	}
	if FromNs(1_000_000, clock.Hz) != 62_500 || FromNs(1_000_000_000, 24_000_000) != 24_000_000 || FromNs(^uint64(0), 2_000_000_000) != ^uint64(0) {
		t.Fatal("FromNs")
	}
}

// advances reads until the clock moves, yielding between reads; a counter
// that never moves is broken.
func advances(t *testing.T, k *Clock) {
	t.Helper()
	a := k.Now()
	for i := 0; i < 50_000_000; i++ {
		if b := k.Now(); b > a {
			return
		} else if b < a {
			t.Fatalf("went back: %d after %d", b, a)
		}
		runtime.Gosched()
	}
	t.Fatalf("%s counter did not advance", k.Kind())
}

func TestMonotonic(t *testing.T) {
	k := NewMonotonic()
	if k.Frequency() != 1_000_000_000 || k.Kind() != "monotonic" {
		t.Fatalf("freq %d kind %s", k.Frequency(), k.Kind())
	}
	advances(t, k)
}

// TestPlatformClock runs on every platform; on linux/arm64 it executes the
// CNTVCT_EL0/CNTFRQ_EL0 assembly (under qemu-user in CI).
func TestPlatformClock(t *testing.T) {
	k := New()
	if runtime.GOOS == "linux" && runtime.GOARCH == "arm64" && k.Kind() != "cntvct" {
		t.Fatalf("linux/arm64 clock kind %q, want cntvct", k.Kind())
	}
	if f := k.Frequency(); f < 1_000_000 || f > 10_000_000_000 {
		t.Fatalf("implausible frequency %d Hz", f)
	}
	advances(t, k)
	if n := k.NowNs(); n == 0 {
		t.Fatal("no time passed in ns")
	}
}

// TestConcurrentReadsNeverGoBack: readers on several goroutines each see a
// non-decreasing sequence.
func TestConcurrentReadsNeverGoBack(t *testing.T) {
	k := New()
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var prev clock.Ticks
			for range 20_000 {
				v := k.Now()
				if v < prev {
					errs <- "reading went back"
					return
				}
				prev = v
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

// TestRegressionBelowOrigin: a counter that steps back below its value at
// New is held like any other regression. The difference from the origin
// used to wrap to ~2^64, so the clock jumped to the end of time and stayed
// there.
func TestRegressionBelowOrigin(t *testing.T) {
	k := newClock(&fake{vals: []uint64{100, 90, 105, 95, 120}, freq: 1000})
	var got []clock.Ticks
	for range 4 {
		got = append(got, k.Now())
	}
	want := []clock.Ticks{0, 5, 5, 20}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("readings %v, want %v", got, want)
		}
	}
	if k.Regressions() != 2 {
		t.Fatalf("regressions %d, want 2", k.Regressions())
	}
}
