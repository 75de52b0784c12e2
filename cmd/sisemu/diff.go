package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/sisemu/sisemu/emu"
	"github.com/sisemu/sisemu/emu/phases"
	"github.com/sisemu/sisemu/emu/target"
)

func init() {
	registerSubcommand(subcommand{
		name:    "diff",
		summary: "run the phase scripts on a real kernel (QEMU, board) and on sisemu, report where they differ",
		run:     runDiff,
	})
}

func runDiff(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("sisemu diff", flag.ContinueOnError)
	fset.SetOutput(stderr)
	var (
		list        phaseList
		spec        string
		dir         string
		eol         string
		seed        uint64
		timeout     time.Duration
		bootTimeout time.Duration
	)
	fset.StringVar(&spec, "target", "", "the kernel: exec:<cmd> | serial:<dev>[@baud] | tcp:<host:port> | sisemu[:seed]")
	fset.Var(&list, "phase", "only this phase's scripts (repeatable)")
	fset.StringVar(&dir, "dir", "", "read transcripts from this directory instead of the built-in ones")
	fset.StringVar(&eol, "eol", "crlf", "line ending sent after each command: crlf, cr or lf")
	fset.Uint64Var(&seed, "seed", 0, "seed of the sisemu reference machine")
	fset.DurationVar(&timeout, "timeout", 45*time.Second, "per-command timeout on the target")
	fset.DurationVar(&bootTimeout, "boot-timeout", 180*time.Second, "how long to wait for the target's shell")
	if err := fset.Parse(args); err != nil {
		return 2
	}
	if spec == "" {
		fmt.Fprintln(stderr, "sisemu diff: --target is required")
		return 2
	}
	ends := map[string]string{"crlf": "\r\n", "cr": "\r", "lf": "\n"}
	if _, ok := ends[eol]; !ok {
		fmt.Fprintf(stderr, "sisemu diff: --eol must be crlf, cr or lf, not %q\n", eol)
		return 2
	}
	var fsys fs.FS = emu.Transcripts()
	if dir != "" {
		fsys = os.DirFS(dir)
	}
	steps, err := phaseSteps(fsys, list)
	if err != nil {
		fmt.Fprintln(stderr, "sisemu diff:", err)
		return 2
	}
	tgt, err := target.Open(spec, target.Options{BootTimeout: bootTimeout, CommandTimeout: timeout, EOL: ends[eol]})
	if err != nil {
		fmt.Fprintln(stderr, "sisemu diff:", err)
		return 1
	}
	defer tgt.Close()
	ref, err := emu.New(emu.Options{Seed: seed})
	if err != nil {
		fmt.Fprintln(stderr, "sisemu diff:", err)
		return 1
	}
	defer ref.Close()
	rep := target.Diff(ref, tgt, steps)
	rep.WriteText(stdout)
	if len(rep.Differences) > 0 {
		return 1
	}
	return 0
}

// phaseSteps lists the command lines of the selected phases' transcripts in
// catalogue order.
func phaseSteps(fsys fs.FS, only []int) ([]target.Step, error) {
	selected, err := phases.Select(only)
	if err != nil {
		return nil, err
	}
	var steps []target.Step
	for _, p := range selected {
		for _, s := range p.Subs {
			for _, t := range s.Tests {
				file := phases.File(p, s, t)
				data, err := fs.ReadFile(fsys, file)
				if err != nil {
					continue // not implemented yet
				}
				st, err := target.StepsFromTranscript(file, string(data))
				if err != nil {
					return nil, err
				}
				steps = append(steps, st...)
			}
		}
	}
	if len(steps) == 0 {
		return nil, errors.New("no phase scripts selected")
	}
	return steps, nil
}
