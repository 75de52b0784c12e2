package agentsys_test

import (
	"fmt"
	"strings"

	"github.com/sisemu/sisemu/agentsys"
	"github.com/sisemu/sisemu/agentsys/frame"
)

// A scoped agent may list its own directory but not its parent, however the
// path is spelled; every call leaves one audit record.
func Example() {
	sys, err := agentsys.New(agentsys.Options{})
	if err != nil {
		panic(err)
	}
	for _, p := range []string{"/tmp/files/", "/tmp/files/../docs", "/tmp/"} {
		r := sys.HandleFrame(0, frame.FsList, frame.Token(2), frame.PathPayload(p))
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%-20s %s %s", p, r.Kind, r.Denial)))
	}
	r := sys.HandleFrame(0, frame.FsList, frame.Token(frame.TestAgent), frame.PathPayload("/tmp"))
	for _, e := range r.Effect.Entries {
		fmt.Println(e.Name)
	}
	fmt.Println("total ops:", sys.TotalOps())
	// Output:
	// /tmp/files/          ok
	// /tmp/files/../docs   AuthFailed Path outside allowed scope
	// /tmp/                AuthFailed Path outside allowed scope
	// docs
	// files
	// test.txt
	// total ops: 4
}
