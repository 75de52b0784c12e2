package emu

import (
	"fmt"

	"github.com/sisemu/sisemu/dataflow"
)

// ctlhex injects a raw V0 control frame; ctlkey, ctladmin and ctlsubmit
// show or rotate the control-plane tokens (dataflow.md §4.3, §4.5).

func init() {
	register(Command{
		Name:    "ctlhex",
		Summary: "Inject a raw V0 control frame given in hex",
		Usage:   []string{"Usage: ctlhex <hex>"},
		Run:     runCtlhex,
	})
	for _, t := range []struct {
		name, label string
		sel         func(*dataflow.Tokens) *uint64
	}{
		{"ctlkey", "CONTROL", func(t *dataflow.Tokens) *uint64 { return &t.Control }},
		{"ctladmin", "ADMIN", func(t *dataflow.Tokens) *uint64 { return &t.Admin }},
		{"ctlsubmit", "SUBMIT", func(t *dataflow.Tokens) *uint64 { return &t.Submit }},
	} {
		register(Command{
			Name:    t.name,
			Summary: fmt.Sprintf("Show or set the %s token", t.label),
			Usage:   []string{fmt.Sprintf("Usage: %s [<hex>]", t.name)},
			Run: func(m *Machine, c *Ctx) {
				tok := t.sel(&m.dataflow.tokens)
				if len(c.Args) == 0 {
					c.Printf("%s TOKEN: 0x%X", t.label, *tok)
					return
				}
				v, err := dataflow.ParseToken(c.Args[0])
				if err != nil {
					c.Println("[CTL] invalid hex token")
					return
				}
				*tok = v
				c.Printf("%s TOKEN UPDATED", t.label)
			},
		})
	}
}

func runCtlhex(m *Machine, c *Ctx) {
	if len(c.Args) == 0 {
		c.Println("Usage: ctlhex <hex>")
		return
	}
	s := &m.dataflow
	b, err := dataflow.ParseHexFrame(s.hexbuf, c.Args[0])
	if err != nil {
		c.Println("[CTL] invalid hex")
		return
	}
	s.hexbuf = b[:0]
	_, err = s.execFrame(c, b)
	ctlResult(c, err)
}
