//go:build linux

package main

import (
	"bytes"
	"os"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/creack/pty"
)

func termios(t *testing.T, f *os.File) syscall.Termios {
	t.Helper()
	var tio syscall.Termios
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TCGETS, uintptr(unsafe.Pointer(&tio))); e != 0 {
		t.Fatal(e)
	}
	return tio
}

// TestConsoleOnATerminal: typed at a terminal, `sisemu console` behaves like
// QEMU's -serial stdio: the terminal passes bytes through raw (no local echo
// on top of the kernel's own, CR stays CR, Ctrl-C reaches the line editor),
// output keeps LF -> CR LF so lines do not staircase, Ctrl-D leaves, and the
// terminal's settings come back afterwards.
func TestConsoleOnATerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skip("no pty:", err)
	}
	defer tty.Close()
	master, err := pollable(ptmx) // so that a read deadline works
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	before := termios(t, tty)
	old := stdin
	defer func() { stdin = old }()
	stdin = tty
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- run([]string{"console"}, &out, &errb) }()
	// Wait for raw mode before typing, so the terminal cannot cook the input.
	deadline := time.Now().Add(5 * time.Second)
	for termios(t, tty).Lflag&syscall.ICANON != 0 {
		if time.Now().After(deadline) {
			t.Fatal("terminal never left canonical mode")
		}
		time.Sleep(time.Millisecond)
	}
	master.WriteString("foo\x03vclock\r\x04")
	select {
	case rc := <-done:
		if rc != 0 {
			t.Fatalf("rc %d: %s", rc, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Ctrl-D did not end the console")
	}
	want := "foo^C\r\nsis> vclock\r\n[VCLOCK] ticks=0 ns=0\nsis> "
	if got := out.String(); !bytes.HasSuffix([]byte(got), []byte(want)) {
		t.Fatalf("console output ends %q, want %q", got[max(0, len(got)-80):], want)
	}
	after := termios(t, tty)
	if after.Lflag != before.Lflag || after.Iflag != before.Iflag || after.Oflag != before.Oflag {
		t.Fatalf("terminal not restored: lflag %#x iflag %#x oflag %#x, was %#x %#x %#x",
			after.Lflag, after.Iflag, after.Oflag, before.Lflag, before.Iflag, before.Oflag)
	}
	// Nothing was echoed by the terminal itself.
	master.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	echo := make([]byte, 256)
	if n, _ := master.Read(echo); n != 0 {
		t.Fatalf("terminal echoed %q on its own", echo[:n])
	}
}
