package emu_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/sisemu/sisemu/emu"
)

// metricLine is console.md §6: `METRIC <key>=<value>`, key [a-z0-9_]+, value
// unsigned decimal — or one of the decimal literals sched.md §1.4–1.5 gives
// (rtaivalidation's `<x>.<y>`, temporaliso's constants).
var metricLine = regexp.MustCompile(`^METRIC [a-z0-9_]+=(0|[1-9][0-9]*)(\.[0-9])?$`)

// TestEveryMetricLineIsWellFormed checks every METRIC line of every
// transcript's expected output, so a malformed key or value cannot be
// rewritten into a transcript unnoticed.
func TestEveryMetricLineIsWellFormed(t *testing.T) {
	fsys := emu.Transcripts()
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".txt") {
			return err
		}
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		for i, l := range strings.Split(string(data), "\n") {
			// console directives escape their output: drop the \n escape.
			l = strings.TrimSuffix(l, `\n`)
			if strings.HasPrefix(l, "METRIC ") && !metricLine.MatchString(l) {
				t.Errorf("%s:%d: malformed %q", path, i+1, l)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
