//go:build linux && arm64

package hwclock

// readCNTVCT reads the virtual count register CNTVCT_EL0, after an ISB so
// the read is not speculated ahead of earlier instructions.
//
//go:noescape
func readCNTVCT() uint64

// readCNTFRQ reads the counter frequency register CNTFRQ_EL0.
//
//go:noescape
func readCNTFRQ() uint64

// generic is the ARMv8 generic timer's virtual counter, readable from EL0
// on Linux (CNTKCTL_EL1.EL0VCTEN is set by the kernel).
type generic struct{ freq uint64 }

func (g *generic) read() uint64 { return readCNTVCT() }

func (g *generic) frequency() uint64 { return g.freq }

func platformCounter() counter {
	f := readCNTFRQ()
	if f == 0 {
		// Firmware left CNTFRQ_EL0 unprogrammed: the value is meaningless,
		// so fall back to the host clock rather than divide by zero.
		return newMonotonic()
	}
	return &generic{freq: f}
}
