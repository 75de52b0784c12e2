package emu_test

import (
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/sisemu/sisemu/emu"
	"github.com/sisemu/sisemu/emu/script"
)

// TestTranscripts runs every transcript under testdata/ (phase tests,
// console tests, subsystem semantics). Each file runs on two independent
// machines in lock step: besides matching the expected output, the two must
// agree byte for byte, or the machine is not deterministic. Regenerate
// expected output with `go test ./emu/ -run TestTranscripts/<file> -rewrite`
// and review the diff against the spec.
func TestTranscripts(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		a := script.NewRunner(emu.Options{})
		b := script.NewRunner(emu.Options{})
		defer a.Close()
		defer b.Close()
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			c := script.Case{Pos: d.Pos, Cmd: d.Cmd, Input: d.Input}
			for _, arg := range d.CmdArgs {
				val := ""
				if len(arg.Vals) > 0 {
					val = arg.Vals[0]
				}
				c.Args = append(c.Args, script.Arg{Key: arg.Key, Val: val})
			}
			outA, err := a.Do(c)
			if err != nil {
				t.Fatalf("%v", err)
			}
			outB, err := b.Do(c)
			if err != nil {
				t.Fatalf("%v", err)
			}
			if outA != outB {
				t.Fatalf("%s: two machines with the same seed disagree (nondeterminism):\n--- first\n%s--- second\n%s", d.Pos, outA, outB)
			}
			return outA
		})
	})
}
