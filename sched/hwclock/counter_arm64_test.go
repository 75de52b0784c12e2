//go:build linux && arm64

package hwclock

import "testing"

// TestRawRegisters reads CNTFRQ_EL0 and CNTVCT_EL0 directly.
func TestRawRegisters(t *testing.T) {
	f := readCNTFRQ()
	if f == 0 {
		t.Fatal("CNTFRQ_EL0 reads 0")
	}
	a := readCNTVCT()
	for i := 0; i < 100_000_000; i++ {
		b := readCNTVCT()
		if b < a {
			t.Fatalf("CNTVCT_EL0 went back: %d after %d", b, a)
		}
		if b > a {
			t.Logf("CNTFRQ_EL0=%d Hz, CNTVCT_EL0 %d -> %d", f, a, b)
			return
		}
	}
	t.Fatal("CNTVCT_EL0 does not advance")
}
