package emu

import (
	"strings"
	"testing"
)

func TestPredictionsAreOffByDefault(t *testing.T) {
	m := MustNew(Options{})
	if out := m.Exec("vclock").Output; strings.Contains(out, "[AI]") {
		t.Fatalf("prediction printed by default: %q", out)
	}
}

// TestPredictionLine: with the switch on, the [AI] line comes first, in the
// kernel's exact format, and learns from each command's outcome.
func TestPredictionLine(t *testing.T) {
	m := MustNew(Options{Predictions: true})
	steps := []struct{ line, first string }{
		{"metricsctl status", "[AI] Predicting: likely success (confidence: 500/1000)"},
		{"metricsctl status", "[AI] Predicting: likely success (confidence: 666/1000)"},
		{"metricsctl bogus", "[AI] Predicting: likely success (confidence: 750/1000)"}, // prints Usage: a failure
		{"metricsctl bogus", "[AI] Predicting: likely success (confidence: 600/1000)"},
		{"metricsctl", "[AI] Predicting: likely success (confidence: 500/1000)"}, // 2 ok, 2 bad: a tie goes to success
		{"nosuch", "[AI] Predicting: likely success (confidence: 500/1000)"},
		{"nosuch", "[AI] Predicting: likely fail (confidence: 666/1000)"},
	}
	for i, s := range steps {
		out := m.Exec(s.line).Output
		first, _, _ := strings.Cut(out, "\n")
		if first != s.first {
			t.Fatalf("step %d %q: first line %q, want %q", i, s.line, first, s.first)
		}
	}
}
