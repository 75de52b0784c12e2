package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sisemu/sisemu/emu"
	"github.com/sisemu/sisemu/emu/console"
	"github.com/sisemu/sisemu/emu/term"
)

func init() {
	registerSubcommand(subcommand{
		name:    "shell",
		summary: "interactive shell on an emulated machine (history, line editing, Ctrl-D to leave)",
		run:     runShell,
	})
}

func runShell(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sisemu shell", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var mf machineFlags
	mf.register(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	opts, closeLog, err := mf.options()
	if err != nil {
		fmt.Fprintln(stderr, "sisemu shell:", err)
		return 2
	}
	defer closeLog()
	m, err := emu.New(opts)
	if err != nil {
		fmt.Fprintln(stderr, "sisemu shell:", err)
		return 1
	}
	defer m.Close()
	fmt.Fprintf(stdout, "=== SIS Kernel Shell (sisemu, seed %d) ===\nType 'help' for available commands, Ctrl-D to leave\n\n", opts.Seed)
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return interactive(m, f, stdout, stderr)
	}
	return lineByLine(m, stdin, stdout)
}

// lineByLine serves piped input: a prompt, then each line's output. Lines
// go through the kernel's line editor (console.md §3: controls and
// non-ASCII dropped, 255 characters at most, Ctrl-C discards), without its
// echo; CR LF ends one line, not two, and a last line without an end runs
// too.
func lineByLine(m *emu.Machine, in io.Reader, out io.Writer) int {
	rd := bufio.NewReader(in)
	var ed console.Editor
	io.WriteString(out, console.Prompt)
	afterCR := false
	for {
		b, err := rd.ReadByte()
		if err != nil {
			break
		}
		if b == '\n' && afterCR {
			afterCR = false
			continue
		}
		afterCR = b == '\r'
		if _, line, done := ed.Feed(b, nil); done {
			io.WriteString(out, m.Exec(line).Output+console.Prompt)
		}
	}
	if line := ed.Pending(); line != "" {
		io.WriteString(out, m.Exec(line).Output+console.Prompt)
	}
	io.WriteString(out, "\n")
	return 0
}

// interactive runs the line editor on a raw terminal, translating LF to
// CR LF on output since raw mode turns off output processing.
func interactive(m *emu.Machine, f *os.File, out, stderr io.Writer) int {
	fd := int(f.Fd())
	saved, err := term.GetState(fd)
	if err != nil {
		return lineByLine(m, f, out)
	}
	if err := term.MakeRaw(fd); err != nil {
		fmt.Fprintln(stderr, "sisemu shell: raw mode:", err)
		return lineByLine(m, f, out)
	}
	defer term.Restore(fd, saved)
	rl := &term.Readline{Prompt: console.Prompt, Max: console.MaxLine}
	io.WriteString(out, console.Prompt)
	buf := make([]byte, 256)
	for {
		n, err := f.Read(buf)
		for _, b := range buf[:n] {
			echo, line, ev := rl.Feed(b)
			out.Write(echo)
			switch ev {
			case term.EOF:
				return 0
			case term.Abort:
				io.WriteString(out, console.Prompt)
			case term.Line:
				res := m.Exec(line)
				io.WriteString(out, strings.ReplaceAll(res.Output, "\n", "\r\n")+console.Prompt)
			}
		}
		if err != nil {
			return 0
		}
	}
}
