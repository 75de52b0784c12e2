package console

import (
	"bufio"
	"bytes"
	"io"
	"slices"
	"testing"
	"time"
)

// BenchmarkRoundTripPipe sends `help\r\n` over a pipe and reads to the
// second prompt, as a driver does; it reports the p99 round trip (target
// < 1 ms).
func BenchmarkRoundTripPipe(b *testing.B) {
	s := newSession(b)
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	go func() { s.Serve(inR, outW); outW.Close() }()
	defer inW.Close()
	measureRoundTrips(b, inW, outR)
}

// measureRoundTrips drives a booting console: it waits for the first
// prompt, then times `help\r\n` up to the second prompt of the answer once
// per iteration, and reports p50 and p99.
func measureRoundTrips(b *testing.B, in io.Writer, out io.Reader) {
	rd := bufio.NewReaderSize(out, 1<<16)
	prompt := []byte(Prompt)
	readPrompts := func(n int) {
		var got []byte
		for c := 0; c < n; {
			bt, err := rd.ReadByte()
			if err != nil {
				b.Fatal(err)
			}
			got = append(got, bt)
			if bytes.HasSuffix(got, prompt) {
				c++
			}
		}
	}
	readPrompts(1) // boot
	var lat []time.Duration
	for b.Loop() {
		t0 := time.Now()
		io.WriteString(in, "help\r\n")
		readPrompts(2)
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	}
}
