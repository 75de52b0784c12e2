package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/creack/pty"
	"go.uber.org/zap"

	"github.com/sisemu/sisemu/emu"
	"github.com/sisemu/sisemu/emu/console"
	"github.com/sisemu/sisemu/emu/term"
)

func init() {
	registerSubcommand(subcommand{
		name:    "console",
		summary: "serve the kernel's serial console on stdin/stdout (or a PTY with --pty)",
		run:     runConsole,
	})
}

func runConsole(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sisemu console", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var mf machineFlags
	mf.register(fs)
	usePTY := fs.Bool("pty", false, "open a pseudo-terminal, print its path on stderr and serve the console there")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	opts, closeLog, err := mf.options()
	if err != nil {
		fmt.Fprintln(stderr, "sisemu console:", err)
		return 2
	}
	defer closeLog()
	m, err := emu.New(opts)
	if err != nil {
		fmt.Fprintln(stderr, "sisemu console:", err)
		return 1
	}
	defer m.Close()
	sess := console.NewSession(m)
	sess.OnLine = func(line string, r emu.Result) {
		opts.Logger.Info("line", zap.String("line", line), zap.Uint64("start_ticks", uint64(r.Start)),
			zap.Uint64("elapsed_ticks", uint64(r.Elapsed)), zap.Bool("cmd_done", r.Done))
	}
	if !*usePTY {
		in := stdin
		if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			// A person at a terminal: serial-console mode, as QEMU's
			// -serial stdio sets it, with Ctrl-D to leave.
			if saved, err := term.GetState(int(f.Fd())); err == nil && term.MakeSerial(int(f.Fd())) == nil {
				defer term.Restore(int(f.Fd()), saved)
			}
			in = eotReader{f}
		}
		if err := sess.Serve(in, stdout); err != nil {
			fmt.Fprintln(stderr, "sisemu console:", err)
			return 1
		}
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = servePTY(sess, func(path string) {
		fmt.Fprintln(stderr, path)
		opts.Logger.Info("console on pty", zap.String("path", path))
	}, ctx.Done())
	if err != nil {
		fmt.Fprintln(stderr, "sisemu console:", err)
		return 1
	}
	return 0
}

// servePTY serves the console on a new pseudo-terminal until stop is
// closed. announce receives the device path a driver should open.
func servePTY(sess *console.Session, announce func(path string), stop <-chan struct{}) error {
	ptmx, slave, err := pty.Open()
	if err != nil {
		return fmt.Errorf("open pty: %w", err)
	}
	defer slave.Close()
	master, err := pollable(ptmx)
	if err != nil {
		return err
	}
	// The kernel's UART does its own echo and line editing: the PTY's line
	// discipline must pass bytes through untouched in both directions.
	if err := term.MakeRaw(int(slave.Fd())); err != nil {
		master.Close()
		return fmt.Errorf("raw pty: %w", err)
	}
	announce(slave.Name())
	served := make(chan error, 1)
	// Keeping our own handle on the slave open means a driver may close and
	// reopen the device without the master seeing end of input.
	go func() { served <- sess.Serve(master, master) }()
	select {
	case err := <-served:
		master.Close()
		if err != nil && !errors.Is(err, os.ErrClosed) && !isClosedPTY(err) {
			return err
		}
		return nil
	case <-stop:
		// Closing alone does not wake a reader blocked on a character
		// device; an expired deadline does (the master is pollable).
		if err := master.SetReadDeadline(time.Now()); err != nil {
			master.Close()
			return fmt.Errorf("stop pty console: %w", err)
		}
		<-served
		master.Close()
		return nil
	}
}

// pollable returns a non-blocking duplicate of f registered with Go's
// poller (pty.Open leaves the master in blocking mode, where neither Close
// nor a deadline can wake a pending Read) and closes f.
func pollable(f *os.File) (*os.File, error) {
	defer f.Close()
	fd, err := syscall.Dup(int(f.Fd()))
	if err != nil {
		return nil, fmt.Errorf("dup pty master: %w", err)
	}
	if err := syscall.SetNonblock(fd, true); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("pty master non-blocking: %w", err)
	}
	return os.NewFile(uintptr(fd), f.Name()), nil
}

// isClosedPTY reports the error a master sees once every slave is gone.
func isClosedPTY(err error) bool {
	return errors.Is(err, syscall.EIO)
}

// eotReader ends the input at the first Ctrl-D (EOT, 0x04), which a raw
// terminal delivers as a byte rather than as end of file. The kernel's line
// editor ignores 0x04, so no console output depends on it.
type eotReader struct{ r io.Reader }

func (e eotReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if i := bytes.IndexByte(p[:n], 0x04); i >= 0 {
		return i, io.EOF
	}
	return n, err
}
