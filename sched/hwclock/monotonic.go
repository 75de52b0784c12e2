package hwclock

import "time"

// monotonic counts nanoseconds of the host's monotonic clock since its
// creation (Go's time.Since uses the monotonic reading, not wall time).
type monotonic struct{ start time.Time }

func newMonotonic() *monotonic { return &monotonic{start: time.Now()} }

func (m *monotonic) read() uint64 { return uint64(time.Since(m.start)) }

func (m *monotonic) frequency() uint64 { return 1_000_000_000 }
