package emu

import "testing"

// BenchmarkNewMachine measures a fresh machine plus its boot transcript:
// target < 100 µs and < 1 MiB allocated, so a machine per test case is free.
func BenchmarkNewMachine(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		m, err := New(Options{Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		_ = m.Boot()
		m.Close()
	}
}

// BenchmarkExecTrivial measures one trivial command in process: target < 5 µs.
func BenchmarkExecTrivial(b *testing.B) {
	m := MustNew(Options{})
	defer m.Close()
	b.ReportAllocs()
	for b.Loop() {
		m.Exec("metricsctl status")
	}
}
