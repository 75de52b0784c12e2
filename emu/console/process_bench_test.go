package console

import (
	"os"
	"os/exec"
	"testing"

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
	measureRoundTrips(b, in, outPipe)
}
