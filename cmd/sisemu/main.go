// Command sisemu is the SIS kernel reference emulator: an interactive shell,
// the kernel's serial console on stdio or a pseudo-terminal, the phase
// runner, and the tools each subsystem adds (schedule simulation, audit
// journal verification).
//
//	sisemu phases [--phase N]... [--seed S] [--json FILE] [--junit FILE]
//	sisemu console [--pty] [--seed S] [--audit FILE] [--log FILE]
//	sisemu shell [--seed S] [--audit FILE] [--log FILE]
//	sisemu help
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
)

// subcommand is one `sisemu <name>` mode. Each lives in its own file and
// registers itself from init.
type subcommand struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

var subcommands = map[string]subcommand{}

// stdin is the input of the interactive modes (a variable so tests can
// replace it).
var stdin io.Reader = os.Stdin

func registerSubcommand(s subcommand) {
	if _, dup := subcommands[s.name]; dup {
		panic("sisemu: duplicate subcommand " + s.name)
	}
	subcommands[s.name] = s
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	s, ok := subcommands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "sisemu: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	return s.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "sisemu: reference emulator of the SIS kernel's AI subsystems")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: sisemu <command> [flags]   (sisemu <command> -h for its flags)")
	fmt.Fprintln(w)
	names := make([]string, 0, len(subcommands))
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, subcommands[n].summary)
	}
}
