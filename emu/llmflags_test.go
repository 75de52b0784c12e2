package emu

import (
	"strconv"
	"testing"
)

// FuzzLLMFlagScan checks the llmctl flag scan against a simple oracle: a
// known flag takes the next token whatever it is; the last value that
// parses wins; unknown tokens are skipped.
func FuzzLLMFlagScan(f *testing.F) {
	f.Add("--ctx 5 --ctx x --vocab --ctx 7 junk --size-bytes 9")
	f.Add("--id --id a --wcet-cycles")
	f.Add("--model 7 --hash 0xAB --quant FP16 --quant zz --rev 4294967296")
	f.Fuzz(func(t *testing.T, line string) {
		args := Tokenize(line)
		req := llmParseLoad(args)
		// Oracle for --ctx (u32) and --wcet-cycles (u64): walk the tokens.
		var ctx, wcet *uint64
		known := map[string]bool{"--wcet-cycles": true, "--model": true, "--hash": true, "--sig": true, "--ctx": true,
			"--vocab": true, "--quant": true, "--name": true, "--rev": true, "--size-bytes": true, "--id": true}
		for i := 0; i < len(args); i++ {
			if !known[args[i]] || i+1 >= len(args) {
				continue
			}
			v, err := strconv.ParseUint(args[i+1], 10, 64)
			switch args[i] {
			case "--ctx":
				if err == nil && v <= 0xFFFFFFFF {
					vv := v
					ctx = &vv
				}
			case "--wcet-cycles":
				if err == nil {
					vv := v
					wcet = &vv
				}
			}
			i++
		}
		if (ctx != nil) != req.Ctx.Set || (ctx != nil && uint64(req.Ctx.V) != *ctx) {
			t.Fatalf("%q: ctx %+v, oracle %v", line, req.Ctx, ctx)
		}
		if (wcet != nil) != req.WCETCycles.Set || (wcet != nil && req.WCETCycles.V != *wcet) {
			t.Fatalf("%q: wcet %+v, oracle %v", line, req.WCETCycles, wcet)
		}
	})
}
