package emu_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sisemu/sisemu/emu"
)

// BenchmarkLlmctlList64 is `llmctl list` over a full 64-model registry (the
// kernel's target for 10 models is 50 ms).
func BenchmarkLlmctlList64(b *testing.B) {
	m := emu.MustNew(emu.Options{})
	for i := 0; i < 64; i++ {
		m.Exec(fmt.Sprintf("llmctl register --id model-%d --size %d --ctx 2048", i, 256+32*i))
	}
	if out := m.Exec("llmctl list").Output; strings.Count(out, "\n") != 65 {
		b.Fatalf("list printed %d lines", strings.Count(out, "\n"))
	}
	for b.Loop() {
		m.Exec("llmctl list")
	}
}

// BenchmarkLlmctlSwap is one validated hot swap, alternating between two
// models (the kernel's target is 500 ms).
func BenchmarkLlmctlSwap(b *testing.B) {
	m := emu.MustNew(emu.Options{})
	m.Exec("llmctl register --id a --size 1024 --ctx 2048")
	m.Exec("llmctl register --id b --size 1024 --ctx 2048")
	m.Exec("llmctl load --id a")
	lines := [2]string{"llmctl swap --from a --to b", "llmctl swap --from b --to a"}
	i := 0
	for b.Loop() {
		if r := m.Exec(lines[i&1]); !strings.Contains(r.Output, "Swap complete") {
			b.Fatal(r.Output)
		}
		i++
	}
}

// BenchmarkLlminfer32Words is llminfer of a 32-word prompt with a budget
// and the LLM scheduler in place (target: under 20 µs).
func BenchmarkLlminfer32Words(b *testing.B) {
	m := emu.MustNew(emu.Options{})
	m.Exec("llmctl load --wcet-cycles 50000")
	m.Exec("llmctl budget --period-ns 1000000000 --max-tokens-per-period 0")
	words := make([]string, 32)
	for i := range words {
		words[i] = fmt.Sprintf("word%d", i)
	}
	line := "llminfer " + strings.Join(words, " ") + " --max-tokens 32"
	if r := m.Exec(line); !strings.Contains(r.Output, "tokens=32") {
		b.Fatal(r.Output)
	}
	for b.Loop() {
		m.Exec(line)
	}
}
