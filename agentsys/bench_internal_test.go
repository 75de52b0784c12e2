package agentsys

import (
	"testing"

	"github.com/sisemu/sisemu/agentsys/frame"
)

// benchPolicyAudit is the figure: one policy check (capability and
// scope) plus the audit record it leads to, without frame decoding or an
// effect. Target ≥ 5 M calls/s (≤ 200 ns/op).
func benchPolicyAudit(b *testing.B, agent uint32, p string) {
	s, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	r := Resource{Kind: PathResource, Path: p}
	b.ReportAllocs()
	var ts uint64
	for b.Loop() {
		d := s.Check(agent, frame.FsBasic, r)
		s.audit.add(Record{Agent: agent, Op: frame.FsRead, Allowed: d.Allow, TsUs: ts})
		ts++
	}
	if s.audit.total == 0 {
		b.Fatal("no records")
	}
}

func BenchmarkPolicyAuditAllow(b *testing.B) { benchPolicyAudit(b, 2, "/tmp/files/hello.txt") }

func BenchmarkPolicyAuditDenyScope(b *testing.B) { benchPolicyAudit(b, 2, "/tmp/docs/readme.txt") }

func BenchmarkPolicyAuditDenyTraversal(b *testing.B) {
	benchPolicyAudit(b, 2, "/tmp/files/../docs/readme.txt")
}

func BenchmarkPolicyAuditDenyCapability(b *testing.B) { benchPolicyAudit(b, 4, "/tmp/files/a") }
