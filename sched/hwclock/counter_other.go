//go:build !(linux && arm64)

package hwclock

func platformCounter() counter { return newMonotonic() }
