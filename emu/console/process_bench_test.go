package console

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/sisemu/sisemu/emu"
)

// TestMain doubles as a console process: with SISEMU_CONSOLE_CHILD=1 the
// test binary serves a console on its stdin/stdout, so the round trip can
// be measured across real OS pipes and a process boundary.
func TestMain(m *testing.M) {
	if os.Getenv("SISEMU_CONSOLE_CHILD") == "1" {
		if err := NewSession(emu.MustNew(emu.Options{})).Serve(os.Stdin, os.Stdout); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// BenchmarkRoundTripProcess is BenchmarkRoundTripPipe against a console in
// a child process over OS pipes, as a driver talks to `sisemu console`:
// send `help\r\n`, read to the second prompt (target p99 < 1 ms).
func BenchmarkRoundTripProcess(b *testing.B) {
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), "SISEMU_CONSOLE_CHILD=1")
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer cmd.Wait()
	defer in.Close()
	rd := bufio.NewReaderSize(outPipe, 1<<16)
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
