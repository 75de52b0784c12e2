package script

import (
	"bytes"
	"fmt"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/sisemu/sisemu/emu"
)

const sample = `# a comment
machine seed=7
----

run
vclock
vclock
----
sis> vclock
[VCLOCK] ticks=0 ns=0
sis> vclock
[VCLOCK] ticks=62500 ns=1000000

boot
----
----
first

last
----
----

console
metricsctl\sstatus\r
----
metricsctl status\r\n
[METRICSCTL] capture: ON\n
sis> 
`

func TestParse(t *testing.T) {
	cases, err := Parse("f.txt", sample)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 4 {
		t.Fatalf("%d cases", len(cases))
	}
	if c := cases[0]; c.Cmd != "machine" || c.Pos != "f.txt:2" || c.Expected != "" {
		t.Fatalf("case 0: %+v", c)
	}
	if v, ok := cases[0].Arg("seed"); !ok || v != "7" {
		t.Fatalf("seed arg %q %v", v, ok)
	}
	if c := cases[1]; c.Input != "vclock\nvclock" || !strings.HasSuffix(c.Expected, "ns=1000000\n") {
		t.Fatalf("case 1: %+v", c)
	}
	if c := cases[2]; c.Expected != "first\n\nlast\n" {
		t.Fatalf("fenced: %q", c.Expected)
	}
	if c := cases[3]; c.Cmd != "console" || c.Expected != "metricsctl status\\r\\n\n[METRICSCTL] capture: ON\\n\nsis> \n" {
		t.Fatalf("console: %q", c.Expected)
	}
}

func TestParseErrors(t *testing.T) {
	// datadriven reads an unclosed doubled separator to the end of the
	// file; so does Parse (FuzzParse holds them to the same reading).
	if cs, err := Parse("f", "boot\n----\n----\nno end\n"); err != nil || cs[0].Expected != "no end\n" {
		t.Fatalf("unclosed doubled separator: %+v, %v", cs, err)
	}
	if _, err := Parse("f", "boot\n----\n----\nx\n----\n----\nnot blank\n"); err == nil {
		t.Fatal("text right after the closing separator accepted")
	}
}

func TestRunnerMatchesSample(t *testing.T) {
	cases, err := Parse("f.txt", sample)
	if err != nil {
		t.Fatal(err)
	}
	r := NewRunner(emu.Options{})
	defer r.Close()
	for _, c := range cases[:2] {
		out, err := r.Do(c)
		if err != nil {
			t.Fatal(err)
		}
		if out != c.Expected {
			t.Fatalf("%s: got %q want %q", c.Pos, out, c.Expected)
		}
	}
	if _, err := r.Do(Case{Cmd: "bogus", Pos: "x:1"}); err == nil || !strings.Contains(err.Error(), "unknown directive") {
		t.Fatalf("unknown directive: %v", err)
	}
	if _, err := r.Do(Case{Cmd: "machine", Args: []Arg{{"seed", "x"}}}); err == nil {
		t.Fatal("bad seed accepted")
	}
}

func TestUnescapeErrors(t *testing.T) {
	for _, s := range []string{`\`, `\q`, `\x4`, `\xzz`} {
		if _, err := Unescape(s); err == nil {
			t.Errorf("Unescape(%q) accepted", s)
		}
	}
}

// FuzzEscapeRoundTrip: Unescape(Escape(b)) == b once the readability line
// breaks are dropped.
func FuzzEscapeRoundTrip(f *testing.F) {
	f.Add([]byte("sis> \r\n\x08 \x08\\x"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := Unescape(strings.ReplaceAll(Escape(b), "\n", ""))
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("round trip of %q: %q, %v", b, got, err)
		}
	})
}

// fatalTB lets datadriven's reader run outside a real test: a fatal error
// (input datadriven itself rejects) unwinds with errDatadrivenFatal.
type fatalTB struct {
	testing.TB
	failed bool
}

type datadrivenFatal struct{}

func (f *fatalTB) Helper()               {}
func (f *fatalTB) Log(...any)            {}
func (f *fatalTB) Logf(string, ...any)   {}
func (f *fatalTB) Error(...any)          { f.failed = true }
func (f *fatalTB) Errorf(string, ...any) { f.failed = true }
func (f *fatalTB) Failed() bool          { return f.failed }
func (f *fatalTB) Fatal(...any)          { panic(datadrivenFatal{}) }
func (f *fatalTB) Fatalf(string, ...any) { panic(datadrivenFatal{}) }
func (f *fatalTB) FailNow()              { panic(datadrivenFatal{}) }
func (f *fatalTB) Skip(...any)           { panic(datadrivenFatal{}) }
func (f *fatalTB) Skipf(string, ...any)  { panic(datadrivenFatal{}) }
func (f *fatalTB) SkipNow()              { panic(datadrivenFatal{}) }
func (f *fatalTB) Skipped() bool         { return false }
func (f *fatalTB) Name() string          { return "fuzz" }
func (f *fatalTB) Cleanup(func())        {}
func (f *fatalTB) Setenv(string, string) {}
func (f *fatalTB) TempDir() string       { return "" }
func (f *fatalTB) Attr(string, string)   {}
func (f *fatalTB) Chdir(string)          {}
func (f *fatalTB) Fail()                 { f.failed = true }

// datadrivenRead returns datadriven's reading of text (directive, input and
// expected output of each case) or ok=false where datadriven rejects it.
func datadrivenRead(text string) (cases []Case, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, fatal := r.(datadrivenFatal); !fatal {
				panic(r)
			}
			ok = false
		}
	}()
	tb := &fatalTB{}
	datadriven.RunTestFromStringAny(tb, text, func(_ testing.TB, d *datadriven.TestData) string {
		cases = append(cases, Case{Cmd: d.Cmd, Input: d.Input, Expected: d.Expected})
		return d.Expected
	})
	return cases, !tb.failed
}

// FuzzParse: the reader never panics, and wherever datadriven accepts a
// text, script.Parse finds the same cases with the same input and expected
// output, so `go test` and `sisemu phases` can never score a file
// differently. (Directive arguments are compared by TestParseAgreesWithDatadriven.)
func FuzzParse(f *testing.F) {
	f.Add(sample)
	f.Add("run\n----\n----\n")
	f.Add("run\na\n----\n----\nx\n\n----\ny\n----\n----\n")
	f.Add("# c\nrun \\\n  more\n\n----\nout\n \nrun\n")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse("fuzz", s)
		if strings.Contains(s, "subtest") || len(s) > 60000 {
			return // datadriven's nesting directive; its 64 KiB line limit
		}
		want, ok := datadrivenRead(s)
		if !ok {
			return
		}
		if err != nil {
			t.Fatalf("datadriven reads %q, script.Parse fails: %v", s, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%q: %d cases, datadriven %d", s, len(got), len(want))
		}
		for i := range got {
			if got[i].Cmd != want[i].Cmd || got[i].Input != want[i].Input || got[i].Expected != want[i].Expected {
				t.Fatalf("%q case %d: %+v, datadriven %+v", s, i, got[i], want[i])
			}
		}
	})
}

// datadrivenCases reads text with cockroachdb/datadriven's own reader (the
// one `go test ./emu/` uses), keeping what script.Parse must agree on.
func datadrivenCases(t *testing.T, text string) []Case {
	var got []Case
	datadriven.RunTestFromString(t, text, func(t *testing.T, d *datadriven.TestData) string {
		c := Case{Cmd: d.Cmd, Input: d.Input, Expected: d.Expected}
		for _, a := range d.CmdArgs {
			val := ""
			if len(a.Vals) > 0 {
				val = a.Vals[0]
			}
			c.Args = append(c.Args, Arg{Key: a.Key, Val: val})
		}
		got = append(got, c)
		return d.Expected
	})
	return got
}

// TestParseAgreesWithDatadriven: `go test` (datadriven's reader) and
// `sisemu phases` (script.Parse) must read every transcript the same way, or
// a phase test can pass in one and fail in the other. Each built-in
// transcript is checked as stored and with CRLF line ends (a checkout with
// core.autocrlf), and so are a few hand-written edge cases.
func TestParseAgreesWithDatadriven(t *testing.T) {
	texts := map[string]string{
		"sample":       sample,
		"paren-arg":    "machine seed=(7)\n----\n\nrun\nvclock\n----\nsis> vclock\n[VCLOCK] ticks=0 ns=0\n",
		"blank-output": "run\n\n----\nsis> \n",
	}
	err := fs.WalkDir(emu.Transcripts(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".txt") {
			return err // fuzz corpora are not transcripts
		}
		data, err := fs.ReadFile(emu.Transcripts(), path)
		texts[path] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range texts {
		for variant, s := range map[string]string{"lf": text, "crlf": strings.ReplaceAll(text, "\n", "\r\n")} {
			t.Run(name+"/"+variant, func(t *testing.T) {
				want := datadrivenCases(t, s)
				got, err := Parse(name, s)
				if err != nil {
					t.Fatal(err)
				}
				for i := range got {
					got[i].Pos = ""
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("script.Parse and datadriven disagree: %d cases vs %d\n%.300q\n%.300q", len(got), len(want), fmt.Sprint(got), fmt.Sprint(want))
				}
			})
		}
	}
}
