// Package target drives a SIS kernel — or sisemu — through its serial
// console the way the kernel's own test driver does (console.md §9): wait
// for the boot markers and the prompt, send a command, read until the next
// prompt, and cut the command's output out of the window. Targets: a
// process on stdin/stdout (QEMU with -serial stdio, or `sisemu console`), a
// pseudo-terminal or serial line (a board), a TCP serial bridge, or an
// in-process machine.
//
// This is the edge of sisemu: it uses goroutines and real time, by nature.
package target

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Target is a console that runs command lines.
type Target interface {
	// Run sends one command line and returns what it printed.
	Run(line string) (Window, error)
	// Sleep lets real time pass on the target (a catalogue "sleep N ms").
	Sleep(d time.Duration)
	// Close ends the session.
	Close() error
}

// Window is one command's output as a driver sees it.
type Window struct {
	// Raw is every byte received from sending the line up to and including
	// the prompt that ended it.
	Raw string
	// Output is the command's output: the lines between the echo and the
	// next prompt, CR removed, LF-terminated.
	Output string
}

// Markers a driver waits for (console.md §2.1).
var (
	fullShellMarkers = []string{"[MAIN] STARTING FULL SHELL", "LAUNCHING SHELL", "[SHELL] PROBE POST"}
	promptMarker     = "sis>"
)

// Options tune the driver; zero values take the kernel driver's defaults.
type Options struct {
	// BootTimeout bounds the wait for the full shell (default 180 s).
	BootTimeout time.Duration
	// CommandTimeout bounds each command (default 45 s).
	CommandTimeout time.Duration
	// EOL ends each command line: "\r\n" (default, newest driver), "\r" or "\n".
	EOL string
	// Quiet is how long the line must stay silent after a prompt before the
	// driver trusts that the command is over (default 20 ms): a kernel may
	// print a prompt-like string inside its output.
	Quiet time.Duration
}

func (o *Options) defaults() {
	if o.BootTimeout == 0 {
		o.BootTimeout = 180 * time.Second
	}
	if o.CommandTimeout == 0 {
		o.CommandTimeout = 45 * time.Second
	}
	if o.EOL == "" {
		o.EOL = "\r\n"
	}
	if o.Quiet == 0 {
		o.Quiet = 20 * time.Millisecond
	}
}

// ErrTimeout is returned when a pattern does not arrive in time.
var ErrTimeout = errors.New("timeout")

// Console drives a console over a byte stream.
type Console struct {
	opts   Options
	w      io.Writer
	closer io.Closer

	mu      sync.Mutex
	buf     []byte
	readErr error
	changed chan struct{} // closed and replaced whenever buf grows
}

// NewConsole attaches a driver to a stream: it reads r in the background
// and writes commands to w. closer (may be nil) is closed by Close.
func NewConsole(r io.Reader, w io.Writer, closer io.Closer, opts Options) *Console {
	opts.defaults()
	c := &Console{opts: opts, w: w, closer: closer, changed: make(chan struct{})}
	go c.readLoop(r)
	return c
}

func (c *Console) readLoop(r io.Reader) {
	b := make([]byte, 4096)
	for {
		n, err := r.Read(b)
		c.mu.Lock()
		c.buf = append(c.buf, b[:n]...)
		if err != nil {
			c.readErr = err
		}
		close(c.changed)
		c.changed = make(chan struct{})
		c.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// waitFor waits until cond holds on the bytes received since from, or the
// timeout passes, or the stream ends. It returns the length of the buffer
// at that point.
func (c *Console) waitFor(from int, timeout time.Duration, cond func(window []byte) bool) (int, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		n := len(c.buf)
		ok := cond(c.buf[from:n])
		err := c.readErr
		ch := c.changed
		c.mu.Unlock()
		if ok {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("console closed: %w", err)
		}
		select {
		case <-ch:
		case <-deadline.C:
			return n, ErrTimeout
		}
	}
}

// waitQuiet waits until nothing new arrives for the quiet period.
func (c *Console) waitQuiet() int {
	for {
		c.mu.Lock()
		n, ch := len(c.buf), c.changed
		c.mu.Unlock()
		select {
		case <-ch:
		case <-time.After(c.opts.Quiet):
			return n
		}
	}
}

func (c *Console) snapshot(from, to int) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return string(c.buf[from:to])
}

// Boot waits for the boot markers and the prompt (console.md §2.1).
func (c *Console) Boot() error {
	_, err := c.waitFor(0, c.opts.BootTimeout, func(w []byte) bool {
		if !bytes.Contains(w, []byte(promptMarker)) {
			return false
		}
		for _, m := range fullShellMarkers {
			if bytes.Contains(w, []byte(m)) {
				return true
			}
		}
		return false
	})
	if err != nil {
		return fmt.Errorf("waiting for the shell: %w", err)
	}
	c.waitQuiet()
	return nil
}

// Run sends line and reads to the next prompt after its echo.
func (c *Console) Run(line string) (Window, error) {
	start := c.waitQuiet()
	if _, err := io.WriteString(c.w, line+c.opts.EOL); err != nil {
		return Window{}, fmt.Errorf("send %q: %w", line, err)
	}
	echoEnd := -1
	end, err := c.waitFor(start, c.opts.CommandTimeout, func(w []byte) bool {
		if echoEnd < 0 {
			i := bytes.Index(w, []byte("\r\n"))
			if i < 0 {
				return false
			}
			echoEnd = i + 2
		}
		return bytes.Contains(w[echoEnd:], []byte("sis> "))
	})
	if err != nil {
		return Window{Raw: c.snapshot(start, end)}, fmt.Errorf("command %q: %w", line, err)
	}
	if c.opts.EOL == "\r\n" {
		// The LF of CR LF is a second, empty line: its prompt comes too.
		end, _ = c.waitFor(start, c.opts.CommandTimeout, func(w []byte) bool {
			return bytes.Count(w[echoEnd:], []byte("sis> ")) >= 2
		})
	}
	raw := c.snapshot(start, end)
	return Window{Raw: raw, Output: cutOutput(raw)}, nil
}

// cutOutput takes the text between the echo's CR LF and the first prompt
// after it, with CR and other control bytes dropped as the kernel driver's
// log does (TAB kept).
func cutOutput(raw string) string {
	i := strings.Index(raw, "\r\n")
	if i < 0 {
		return ""
	}
	body := raw[i+2:]
	if j := strings.Index(body, "sis> "); j >= 0 {
		body = body[:j]
	}
	var b strings.Builder
	for k := 0; k < len(body); k++ {
		ch := body[k]
		if ch < 0x20 && ch != '\n' && ch != '\t' {
			continue
		}
		b.WriteByte(ch)
	}
	return b.String()
}

// Sleep waits in real time.
func (c *Console) Sleep(d time.Duration) { time.Sleep(d) }

// Close closes the stream.
func (c *Console) Close() error {
	if c.closer != nil {
		return c.closer.Close()
	}
	return nil
}
