package main

import (
	"fmt"
	"io"
	"os"

	"github.com/sisemu/sisemu/governance/audit"
)

func init() {
	registerSubcommand(subcommand{
		name:    "audit",
		summary: "verify a governance audit journal (audit verify FILE)",
		run:     runAudit,
	})
}

const auditUsage = "Usage: sisemu audit verify FILE"

// runAudit is `sisemu audit verify FILE`: it checks the journal's hash chain
// and reports the first broken record. Exit 0 when the whole journal
// verifies, 1 when it is broken, 2 on usage or read errors.
func runAudit(args []string, stdout, stderr io.Writer) int {
	if len(args) != 2 || args[0] != "verify" {
		fmt.Fprintln(stderr, auditUsage)
		return 2
	}
	f, err := os.Open(args[1])
	if err != nil {
		fmt.Fprintf(stderr, "sisemu audit: %v\n", err)
		return 2
	}
	defer f.Close()
	rep, err := audit.Verify(f)
	if err != nil {
		fmt.Fprintf(stderr, "sisemu audit: %v\n", err)
		return 2
	}
	if rep.Broken != nil {
		fmt.Fprintf(stdout, "audit: %s: BROKEN at record %d (byte offset %d): %s\n", args[1], rep.Broken.Record, rep.Broken.Offset, rep.Broken.Reason)
		fmt.Fprintf(stdout, "audit: %d records verified before it; head %s\n", rep.Records, rep.Head)
		return 1
	}
	fmt.Fprintf(stdout, "audit: %s: ok records=%d head=%s\n", args[1], rep.Records, rep.Head)
	return 0
}
