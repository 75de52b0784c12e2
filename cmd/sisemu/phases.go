package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/sisemu/sisemu/emu/phases"
)

func init() {
	registerSubcommand(subcommand{
		name:    "phases",
		summary: "run the kernel's phase suites in-process and print the scored report",
		run:     runPhases,
	})
}

// phaseList collects repeated --phase flags.
type phaseList []int

func (p *phaseList) String() string { return fmt.Sprint(*p) }

func (p *phaseList) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("not a phase number: %q", s)
	}
	*p = append(*p, n)
	return nil
}

// rawPhases collects repeated --phase flags of `sisemu phases` as typed:
// the kernel runner answers every unsupported value, numeric or not, with
// its own line and exit 1 (console.md §10.3), not with a flag error.
type rawPhases []string

func (p *rawPhases) String() string { return strings.Join(*p, ",") }

func (p *rawPhases) Set(s string) error {
	*p = append(*p, s)
	return nil
}

func runPhases(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sisemu phases", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		mf        machineFlags
		raw       rawPhases
		jsonPath  string
		junitPath string
		dir       string
	)
	mf.register(fs)
	fs.Var(&raw, "phase", "run only this phase (repeatable): 1, 2, 3, 5, 6, 7, 8, 9")
	fs.StringVar(&jsonPath, "json", "", "also write the report as JSON to this file")
	fs.StringVar(&junitPath, "junit", "", "also write the report as JUnit XML to this file")
	fs.StringVar(&dir, "dir", "", "read transcripts from this directory instead of the built-in ones")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	opts, closeLog, err := mf.options()
	if err != nil {
		fmt.Fprintln(stderr, "sisemu phases:", err)
		return 2
	}
	defer closeLog()
	var list []int
	for _, s := range raw {
		n, err := strconv.Atoi(s)
		if err != nil {
			fmt.Fprintf(stderr, "Unsupported phase '%s'. Supported phases: 1, 2, 3, 5, 6, 7, 8, 9\n", s)
			return 1
		}
		list = append(list, n)
	}
	po := phases.Options{Phases: list, Machine: opts}
	if dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			fmt.Fprintf(stderr, "sisemu phases: --dir %s: not a directory\n", dir)
			return 2
		}
		po.FS = os.DirFS(dir)
	}
	rep, err := phases.Run(po)
	if errors.Is(err, phases.ErrUnsupportedPhase) {
		// The kernel runner's own wording (console.md §10.3).
		fmt.Fprintln(stderr, "Unsupported phase"+strings.TrimPrefix(err.Error(), phases.ErrUnsupportedPhase.Error()))
		return 1
	}
	if err != nil {
		fmt.Fprintln(stderr, "sisemu phases:", err)
		return 1
	}
	if err := rep.WriteText(stdout); err != nil {
		return 1
	}
	for _, out := range []struct {
		path  string
		write func(io.Writer) error
	}{{jsonPath, rep.WriteJSON}, {junitPath, rep.WriteJUnit}} {
		if out.path == "" {
			continue
		}
		if err := writeFile(out.path, out.write); err != nil {
			fmt.Fprintln(stderr, "sisemu phases:", err)
			return 1
		}
	}
	return rep.ExitCode
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
