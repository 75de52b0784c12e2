package emu

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// vocabulary returns words worth trying as arguments: every word of every
// usage line (flags, subcommands, placeholders stripped of <>[]|) plus
// numbers of interesting sizes.
func vocabulary() []string {
	seen := map[string]bool{}
	var words []string
	add := func(w string) {
		if w != "" && !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	for _, c := range Commands() {
		for _, u := range c.Usage {
			for _, f := range strings.FieldsFunc(u, func(r rune) bool { return strings.ContainsRune(" <>[]|{}(),", r) }) {
				add(f)
			}
		}
	}
	for _, n := range []string{"0", "1", "2", "5", "10", "100", "255", "256", "1000", "65535", "65536",
		"1000000", "10000000", "100000000", "4294967295", "4294967296", "18446744073709551615",
		"-1", "none", "x", "/tmp/files", "/tmp/../etc", "0x30"} {
		add(n)
	}
	return words
}

// randomScript builds n command lines from the command table and the
// vocabulary, reproducibly from seed.
func randomScript(seed uint64, n int) []string {
	rng := rand.New(rand.NewPCG(seed, 42))
	cmds := Commands()
	vocab := vocabulary()
	lines := make([]string, 0, n)
	for i := 0; i < n; i++ {
		toks := []string{cmds[rng.IntN(len(cmds))].Name}
		for j := rng.IntN(6); j > 0; j-- {
			toks = append(toks, vocab[rng.IntN(len(vocab))])
		}
		lines = append(lines, strings.Join(toks, " "))
	}
	return lines
}

// TestDeterminism runs one long script over every registered command on two
// fresh machines and requires byte-identical transcripts.
func TestDeterminism(t *testing.T) {
	script := randomScript(1, 3000)
	run := func() string {
		m := MustNew(Options{Seed: 99})
		defer m.Close()
		var b strings.Builder
		for _, l := range script {
			r := m.Exec(l)
			b.WriteString("sis> " + l + "\n" + r.Output)
		}
		return b.String()
	}
	a, b := run(), run()
	if a != b {
		al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
		for i := range min(len(al), len(bl)) {
			if al[i] != bl[i] {
				t.Fatalf("transcripts differ at line %d:\n  first:  %q\n  second: %q", i+1, al[i], bl[i])
			}
		}
		t.Fatalf("transcripts differ in length: %d vs %d lines", len(al), len(bl))
	}
}

// FuzzExec feeds arbitrary lines to a fresh machine: nothing may panic,
// output is whole LF-terminated lines, and two machines agree.
func FuzzExec(f *testing.F) {
	for _, l := range randomScript(7, 200) {
		f.Add(l)
	}
	f.Add("")
	f.Add("help help")
	f.Fuzz(func(t *testing.T, line string) {
		a, b := MustNew(Options{Seed: 3}), MustNew(Options{Seed: 3})
		defer a.Close()
		defer b.Close()
		ra, rb := a.Exec(line), b.Exec(line)
		if ra.Output != rb.Output || ra.Elapsed != rb.Elapsed {
			t.Fatalf("machines disagree on %q", line)
		}
		if ra.Output != "" && !strings.HasSuffix(ra.Output, "\n") {
			t.Fatalf("output of %q does not end in LF: %q", line, ra.Output)
		}
	})
}
