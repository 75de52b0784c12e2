package emu

import (
	"strconv"
	"strings"
)

func init() {
	register(Command{
		Name:    "llmjson",
		Summary: "Print the LLM audit ring as JSON, newest first",
		Usage:   []string{"Usage: llmjson"},
		Run:     runLlmjson,
	})
}

// runLlmjson prints the 32-entry LLM audit ring as one JSON array, newest
// first, fields in the kernel's order, then CMD_DONE (governance.md §1.3).
func runLlmjson(m *Machine, c *Ctx) {
	var b strings.Builder
	b.WriteByte('[')
	for i, e := range m.gov.g.Audit() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(`{"op":`)
		b.WriteString(strconv.FormatUint(uint64(e.Op), 10))
		b.WriteString(`,"prompt_len":`)
		b.WriteString(strconv.FormatUint(e.PromptLen, 10))
		b.WriteString(`,"tokens":`)
		b.WriteString(strconv.FormatUint(e.Tokens, 10))
		b.WriteString(`,"wcet_cycles":`)
		b.WriteString(strconv.FormatUint(e.WCETCycles, 10))
		b.WriteString(`,"period_ns":`)
		b.WriteString(strconv.FormatUint(e.PeriodNs, 10))
		b.WriteString(`,"status":`)
		b.WriteString(strconv.FormatUint(uint64(e.Status), 10))
		b.WriteString(`,"ts_ns":`)
		b.WriteString(strconv.FormatUint(e.TsNs, 10))
		b.WriteByte('}')
	}
	b.WriteByte(']')
	c.Println(b.String())
	c.Done()
}
