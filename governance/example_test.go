package governance_test

import (
	"fmt"

	"github.com/sisemu/sisemu/governance"
	"github.com/sisemu/sisemu/sched/clock"
)

func Example() {
	g, _ := governance.New(governance.Options{})
	g.Load(0, governance.LoadRequest{WCETCycles: governance.Some[uint64](50_000)})
	g.Budget(clock.Millisecond, governance.BudgetRequest{
		PeriodNs:           governance.Some[uint64](1_000_000_000),
		MaxTokensPerPeriod: governance.Some[uint64](3),
	})
	r := g.Infer(2*clock.Millisecond, governance.InferRequest{Prompt: "Hello world", MaxTokens: governance.Some[uint64](2)})
	fmt.Println(r.ID, r.Tokens, r.ActualNs, r.Missed)
	r = g.Infer(3*clock.Millisecond, governance.InferRequest{Prompt: "again", MaxTokens: governance.Some[uint64](2)})
	fmt.Println(r.ID, r.Rejected, r.Reject.Issued, r.Reject.Limit)
	for _, e := range g.Audit() {
		fmt.Println(e.Op, e.Status, e.Tokens)
	}
	fmt.Println(g.Status().Scheduler.UsedPPM)
	// Output:
	// 1 [hello world] 800000 false
	// 2 true 2 3
	// 3 2 0
	// 3 1 2
	// 1 1 0
	// 800
}
