package emu_test

import (
	"io/fs"
	"path/filepath"
	"strings"
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
	walkTranscripts(t, "testdata", func(t *testing.T, path string) {
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

// walkTranscripts runs f on every .txt file under root as a subtest named by
// its path without the extension, skipping testdata/fuzz (Go's fuzz corpus
// lives there and is not a transcript).
func walkTranscripts(t *testing.T, root string, f func(t *testing.T, path string)) {
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path == filepath.Join(root, "fuzz") {
			return filepath.SkipDir
		}
		if d.IsDir() || filepath.Ext(path) != ".txt" {
			return nil
		}
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(path), root+"/"), ".txt")
		t.Run(name, func(t *testing.T) { f(t, path) })
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
