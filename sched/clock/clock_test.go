package clock

import (
	"math"
	"testing"
)

// TestConversionTable is console.md §8's table.
func TestConversionTable(t *testing.T) {
	for _, tc := range []struct{ cycles, ns uint64 }{
		{25_000, 400_000},
		{50_000, 800_000},
		{62_500, 1_000_000},
		{31_250_000, 500_000_000},
		{0, 0},
		{1, 16},
	} {
		if got := CyclesToNs(tc.cycles); got != tc.ns {
			t.Errorf("CyclesToNs(%d) = %d, want %d", tc.cycles, got, tc.ns)
		}
		if got := NsToCycles(tc.ns); got != tc.cycles {
			t.Errorf("NsToCycles(%d) = %d, want %d", tc.ns, got, tc.cycles)
		}
	}
	if NsToCycles(15) != 0 || NsToCycles(31) != 1 {
		t.Error("ns -> cycles must truncate")
	}
	if Ticks(62_500).Us() != 1000 || Ticks(62_499).Ms() != 0 || Ticks(62_500).Ms() != 1 {
		t.Error("µs/ms truncation")
	}
	if Millisecond != 62_500 || Second != 62_500_000 || NsPerTick != 16 {
		t.Error("constants")
	}
}

func TestSaturation(t *testing.T) {
	if got := Ticks(math.MaxUint64 / 8).Ns(); got != math.MaxUint64 {
		t.Errorf("Ns saturates: got %d", got)
	}
	if got := Ticks(math.MaxUint64 - 1).Add(5); got != math.MaxUint64 {
		t.Errorf("Add saturates: got %d", got)
	}
	if got := FromMs(math.MaxUint64); got != math.MaxUint64 {
		t.Errorf("FromMs saturates: got %d", got)
	}
}

func TestVirtualMovesOnlyForward(t *testing.T) {
	v := NewVirtual()
	if v.Now() != 0 || v.Frequency() != Hz {
		t.Fatal("fresh counter")
	}
	v.Advance(10)
	v.AdvanceTo(5)
	if v.Now() != 10 {
		t.Fatalf("went back to %d", v.Now())
	}
	v.AdvanceTo(100)
	if v.Now() != 100 {
		t.Fatalf("AdvanceTo: %d", v.Now())
	}
}
