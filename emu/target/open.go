package target

import (
	"fmt"
	"io"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"go.bug.st/serial"

	"github.com/sisemu/sisemu/emu"
	"github.com/sisemu/sisemu/emu/console"
)

// Open connects to a target described by spec and waits for its shell:
//
//	exec:<command line>      a process whose stdin/stdout is the console, run by sh -c
//	                          (QEMU with -nographic -serial mon:stdio, or `sisemu console`)
//	serial:<device>[@<baud>]  a serial line or PTY (default 115200 8N1)
//	tcp:<host>:<port>        a TCP serial bridge (QEMU -serial tcp::4444,server)
//	sisemu[:<seed>]          an in-process sisemu console
func Open(spec string, opts Options) (*Console, error) {
	kind, arg, _ := strings.Cut(spec, ":")
	var c *Console
	switch kind {
	case "exec":
		if arg == "" {
			return nil, fmt.Errorf("target %q: exec needs a command", spec)
		}
		cmd := exec.Command("sh", "-c", arg)
		in, err := cmd.StdinPipe()
		if err != nil {
			return nil, err
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			return nil, err
		}
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("target %q: %w", spec, err)
		}
		c = NewConsole(out, in, &process{cmd: cmd, stdin: in}, opts)
	case "serial":
		dev, baud := arg, 115200
		if d, b, ok := strings.Cut(arg, "@"); ok {
			n, err := strconv.Atoi(b)
			if err != nil || n <= 0 {
				return nil, fmt.Errorf("target %q: bad baud rate %q", spec, b)
			}
			dev, baud = d, n
		}
		port, err := serial.Open(dev, &serial.Mode{BaudRate: baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit})
		if err != nil {
			return nil, fmt.Errorf("target %q: %w", spec, err)
		}
		c = NewConsole(port, port, port, opts)
	case "tcp":
		conn, err := net.DialTimeout("tcp", arg, 10*time.Second)
		if err != nil {
			return nil, fmt.Errorf("target %q: %w", spec, err)
		}
		c = NewConsole(conn, conn, conn, opts)
	case "sisemu":
		var seed uint64
		if arg != "" {
			n, err := strconv.ParseUint(arg, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("target %q: bad seed %q", spec, arg)
			}
			seed = n
		}
		c = InProcess(emu.Options{Seed: seed}, opts)
	default:
		return nil, fmt.Errorf("target %q: unknown kind %q (exec, serial, tcp, sisemu)", spec, kind)
	}
	if err := c.Boot(); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// InProcess serves a fresh machine's console over in-memory pipes and
// drives it like any other target.
func InProcess(mopts emu.Options, opts Options) *Console {
	m := emu.MustNew(mopts)
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	go func() {
		err := console.NewSession(m).Serve(inR, outW)
		m.Close()
		outW.CloseWithError(err)
	}()
	return NewConsole(outR, inW, inW, opts)
}

// process ends a target process: stdin closed, then killed if it lingers.
type process struct {
	cmd   *exec.Cmd
	stdin io.Closer
}

func (p *process) Close() error {
	p.stdin.Close()
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case <-done:
		return nil
	case <-time.After(2 * time.Second):
		p.cmd.Process.Kill()
		<-done
		return nil
	}
}
