package phases

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// WriteText prints the report for a person: one line per phase, then per
// sub-suite and test, with the first differing line of each failed test.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "sisemu phase report (seed %d)\n\n", r.Seed)
	for _, p := range r.Phases {
		if !p.Implemented {
			fmt.Fprintf(&b, "Phase %d: %-32s not implemented\n\n", p.N, p.Claim)
			continue
		}
		claim := "FAIL"
		if p.ClaimPassed {
			claim = "PASS"
		}
		fmt.Fprintf(&b, "Phase %d: %-32s %d/%d %s  score %.1f%%  claim (>=75%%) %s\n",
			p.N, p.Claim, p.Passed, p.Total, p.Unit, p.Score, claim)
		for _, s := range p.Subs {
			verdict := "FAIL"
			switch {
			case s.Logged:
				verdict = "logged, not scored"
			case !anyRan(s.Tests):
				verdict = "not implemented"
			case s.OK:
				verdict = "PASS"
			}
			needs := fmt.Sprint(s.Needs)
			if s.All {
				needs = "all"
			}
			fmt.Fprintf(&b, "  %-28s %d/%d (needs %s)  %s\n", s.Name, s.Passed, s.Total, needs, verdict)
			for _, t := range s.Tests {
				mark := map[Status]string{Pass: "ok  ", Fail: "FAIL", Missing: "--  "}[t.Status]
				extra := ""
				if t.Unscored {
					extra = " (unscored)"
				}
				if t.Status == Missing {
					extra += " not implemented"
				}
				fmt.Fprintf(&b, "    %s %-14s %s%s\n", mark, t.ID, t.Func, extra)
				if t.Error != "" {
					fmt.Fprintf(&b, "         error: %s\n", t.Error)
				}
				if m := t.Mismatch; m != nil {
					fmt.Fprintf(&b, "         %s, output line %d\n", m.Pos, m.Line)
					fmt.Fprintf(&b, "         expected: %q\n", m.Expected)
					fmt.Fprintf(&b, "         actual:   %q\n", m.Actual)
				}
			}
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "Overall score: %.1f (%s)\n", r.Overall, r.Verdict)
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Body    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes the report as JUnit XML: one testsuite per sub-suite,
// named "phaseN.<dir>"; missing tests are skipped ("not implemented").
// Times are virtual seconds.
func (r *Report) WriteJUnit(w io.Writer) error {
	var all junitSuites
	for _, p := range r.Phases {
		for _, s := range p.Subs {
			js := junitSuite{Name: fmt.Sprintf("phase%d.%s", p.N, s.Dir)}
			for _, t := range s.Tests {
				jc := junitCase{
					Name:      t.ID + " " + t.Func,
					Classname: js.Name,
					Time:      fmt.Sprintf("%.6f", float64(t.VirtualNs)/1e9),
				}
				switch t.Status {
				case Missing:
					jc.Skipped = &junitSkipped{Message: "not implemented"}
					js.Skipped++
				case Fail:
					msg := t.Error
					body := t.Error
					if m := t.Mismatch; m != nil {
						msg = fmt.Sprintf("%s: output line %d differs", m.Pos, m.Line)
						body = fmt.Sprintf("expected: %s\nactual:   %s\n", m.Expected, m.Actual)
					}
					jc.Failure = &junitFailure{Message: msg, Body: body}
					js.Failures++
				}
				js.Tests++
				js.Cases = append(js.Cases, jc)
			}
			all.Tests += js.Tests
			all.Failures += js.Failures
			all.Skipped += js.Skipped
			all.Suites = append(all.Suites, js)
		}
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(all); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
