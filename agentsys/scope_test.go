package agentsys_test

import (
	"math/rand/v2"
	"path"
	"strings"
	"testing"

	"github.com/sisemu/sisemu/agentsys"
	"github.com/sisemu/sisemu/agentsys/frame"
)

// scopeOracle is §2.3 literally: clean, add "/", test the prefix.
func scopeOracle(p, prefix string) bool {
	return len(p) > 0 && p[0] == '/' && strings.HasPrefix(path.Clean(p)+"/", prefix)
}

// TestScopeAgainstOracle compares the allocation-free scope test (both the
// exported InScope and the policy's fast/slow paths via Check) with the
// oracle on random paths made of separators, `.`, `..` and near-miss names.
func TestScopeAgainstOracle(t *testing.T) {
	prefixes := []string{"/tmp/files/", "/tmp/", "/", "/a/b/c/d/e/f/g/h/", "/tmp/files/deep/"}
	var agents []agentsys.Agent
	for i, pf := range prefixes {
		agents = append(agents, agentsys.Agent{ID: uint32(i), Name: "a", Caps: frame.Caps(frame.FsBasic), Scope: pf, Enabled: true})
	}
	sys, err := agentsys.New(agentsys.Options{Agents: agents})
	if err != nil {
		t.Fatal(err)
	}
	pieces := []string{"", ".", "..", "tmp", "files", "filesX", "file", "docs", "deep", "a", "b", ".hidden", "...", "tmpfiles"}
	rng := rand.New(rand.NewPCG(3, 4))
	for n := range 200000 {
		var sb strings.Builder
		if rng.IntN(20) != 0 {
			sb.WriteByte('/')
		}
		for k := rng.IntN(7); k > 0; k-- {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
			for r := rng.IntN(3); r >= 0; r-- {
				if rng.IntN(3) != 0 || r == 0 {
					sb.WriteByte('/')
				}
			}
		}
		p := sb.String()
		if rng.IntN(2) == 0 {
			p = strings.TrimSuffix(p, "/")
		}
		for i, pf := range prefixes {
			want := scopeOracle(p, pf)
			if got := agentsys.InScope(p, pf); got != want {
				t.Fatalf("%d: InScope(%q, %q) = %v, oracle %v", n, p, pf, got, want)
			}
			d := sys.Check(uint32(i), frame.FsBasic, agentsys.Resource{Kind: agentsys.PathResource, Path: p})
			if d.Allow != want {
				t.Fatalf("%d: Check(%q, scope %q) = %+v, oracle %v", n, p, pf, d, want)
			}
		}
	}
}
