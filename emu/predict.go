package emu

import (
	"fmt"
	"strings"
)

// predictor is the reference's stand-in for the kernel's neural command
// predictor (console.md §4.3): per command name it counts how earlier lines
// ended, and predicts the likelier outcome with confidence
// 1000·(k+1)/(n+2) (Laplace's rule: k the count of that outcome, n all
// lines of that name). With no history the confidence is 500. A line is
// "fail" when its output carries one of the failure signs below, "success"
// otherwise. Deterministic: the prediction depends only on earlier lines.
type predictor struct {
	ok, bad map[string]uint64
}

// failureSigns mark an output as a failed command: the driver's own
// ERROR/FAIL rule (console.md §9.3), unknown commands, usage and error lines.
var failureSigns = []string{"ERROR", "FAIL", "Unknown command:", "Usage:", "[CTL] error", "rejected", "Error:"}

// predict returns the [AI] line for name, or "" when confidence <= 300.
func (p *predictor) predict(name string) string {
	ok, bad := p.ok[name], p.bad[name]
	n := ok + bad
	verdict, k := "success", ok
	if bad > ok {
		verdict, k = "fail", bad
	}
	conf := 1000 * (k + 1) / (n + 2)
	if conf <= 300 {
		return ""
	}
	return fmt.Sprintf("[AI] Predicting: likely %s (confidence: %d/1000)", verdict, conf)
}

// learn records how a line of command name ended.
func (p *predictor) learn(name, output string) {
	if p.ok == nil {
		p.ok, p.bad = map[string]uint64{}, map[string]uint64{}
	}
	for _, s := range failureSigns {
		if strings.Contains(output, s) {
			p.bad[name]++
			return
		}
	}
	p.ok[name]++
}
