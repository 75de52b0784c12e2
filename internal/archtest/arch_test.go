// Package archtest checks the architecture's rules mechanically: the
// subsystem packages stay deterministic state machines (no goroutines, no
// wall clock, no logging, no shell) and imports point one way.
package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/sisemu/sisemu"

// subsystems are the deterministic core. sched/hwclock is the one package
// under them allowed to read real time; it is excluded by name.
var subsystems = []string{"dataflow", "sched", "governance", "agentsys"}

func listPackages(t *testing.T, pattern string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", pattern).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pattern, err)
	}
	return strings.Fields(string(out))
}

func corePackages(t *testing.T) []string {
	var pkgs []string
	for _, s := range subsystems {
		for _, p := range listPackages(t, "../../"+s+"/...") {
			if strings.HasSuffix(p, "/hwclock") {
				continue
			}
			pkgs = append(pkgs, p)
		}
	}
	return pkgs
}

func TestCoreImportsPointOneWay(t *testing.T) {
	forbidden := []string{module + "/emu", module + "/webgui", module + "/cmd", module + "/sched/hwclock", "go.uber.org/zap"}
	for _, pkg := range corePackages(t) {
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, f := range forbidden {
				if dep == f || strings.HasPrefix(dep, f+"/") {
					t.Errorf("%s depends on %s", pkg, dep)
				}
			}
			// Subsystems import no sibling except sched.
			for _, s := range subsystems {
				sib := module + "/" + s
				own := strings.TrimPrefix(pkg, module+"/")
				if s == "sched" || strings.HasPrefix(own, s) {
					continue
				}
				if dep == sib || strings.HasPrefix(dep, sib+"/") {
					t.Errorf("%s imports sibling subsystem %s", pkg, dep)
				}
			}
		}
	}
}

// TestCoreHasNoGoroutinesOrWallClock parses every non-test file of the core.
func TestCoreHasNoGoroutinesOrWallClock(t *testing.T) {
	fset := token.NewFileSet()
	for _, s := range subsystems {
		files, _ := filepath.Glob(filepath.Join("..", "..", s, "*.go"))
		sub, _ := filepath.Glob(filepath.Join("..", "..", s, "*", "*.go"))
		files = append(files, sub...)
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") || strings.Contains(path, "hwclock") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.GoStmt:
					t.Errorf("%s: go statement in the deterministic core", fset.Position(n.Pos()))
				case *ast.SelectorExpr:
					if id, ok := n.X.(*ast.Ident); ok && ((id.Name == "fmt" && strings.HasPrefix(n.Sel.Name, "Print")) || (id.Name == "os" && (n.Sel.Name == "Stdout" || n.Sel.Name == "Stderr"))) {
						t.Errorf("%s: %s.%s: the core returns results, it never prints", fset.Position(n.Pos()), id.Name, n.Sel.Name)
					}
					if id, ok := n.X.(*ast.Ident); ok && id.Name == "time" && (n.Sel.Name == "Now" || n.Sel.Name == "Since" || n.Sel.Name == "Sleep" || n.Sel.Name == "After" || n.Sel.Name == "NewTimer" || n.Sel.Name == "NewTicker") {
						t.Errorf("%s: time.%s in the deterministic core", fset.Position(n.Pos()), n.Sel.Name)
					}
				}
				return true
			})
		}
	}
}
