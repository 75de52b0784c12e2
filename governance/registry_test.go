package governance

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

// states renders the registry as name:state@version, in registration order.
func states(g *Governor) string {
	s := ""
	for _, m := range g.Models() {
		s += fmt.Sprintf("%s:%s@%d ", m.Name, m.State, m.Version)
	}
	st := g.Status()
	return s + fmt.Sprintf("active=%s rollback=%s", st.Active, st.Rollback)
}

func reg(t *testing.T, g *Governor, name string, kb uint64) Model {
	t.Helper()
	r, err := g.Register(0, name, Some(kb), Some[uint64](2048))
	if err != nil {
		t.Fatal(err)
	}
	return r.Model
}

func TestRegistryLifecycle(t *testing.T) {
	g := newGov(t)
	// register
	if m := reg(t, g, "a", 512); m != (Model{Name: "a", Version: 1, SizeKB: 512, Ctx: 2048, State: StateRegistered}) {
		t.Fatalf("%+v", m)
	}
	reg(t, g, "b", 256)
	r, _ := g.Register(ms(5), "a", Some[uint64](1024), Some[uint64](4096))
	if !r.Reregistered || r.Model.Version != 2 || r.Model.SizeKB != 1024 || r.Model.RegisteredNs != 5_000_000 {
		t.Fatalf("re-register %+v", r)
	}
	if got := states(g); got != "a:registered@2 b:registered@1 active= rollback=" {
		t.Fatal(got)
	}
	// swap needs an active model
	if _, err := g.Swap(0, Some("a"), Some("b")); !errors.Is(err, ErrNotActive) {
		t.Fatalf("swap without active: %v", err)
	}
	// load --id a makes a active
	lr := g.Load(0, LoadRequest{RegistryID: Some("a")})
	if lr.Registry == nil || lr.Registry.Registered || lr.Registry.Model.State != StateActive {
		t.Fatalf("load --id %+v", lr.Registry)
	}
	// swap a -> b
	sr, err := g.Swap(ms(10), Some("a"), Some("b"))
	if err != nil || sr.DowntimeNs != SwitchNs || sr.ValidateNs != 256*1024+HealthCheckNs || sr.Model.Version != 1 {
		t.Fatalf("swap %+v %v", sr, err)
	}
	if got := states(g); got != "a:rollback@2 b:active@1 active=b rollback=a" {
		t.Fatal(got)
	}
	// swap from a model that is not active: rejected, nothing changes, the
	// unknown target is not auto-registered
	before := states(g)
	if _, err := g.Swap(0, Some("a"), Some("zzz")); !errors.Is(err, ErrNotActive) || states(g) != before {
		t.Fatalf("not_active: %v %s", err, states(g))
	}
	// failed swap: a 20 MiB model fails the memory health check; the active
	// model stays, the target becomes failed
	reg(t, g, "big", 20*1024)
	sr, err = g.Swap(0, Some("b"), Some("big"))
	if !errors.Is(err, ErrHealth) || sr.FootprintBytes != 20*1024*1024 || Reason(err) != "health_memory" {
		t.Fatalf("failed swap %+v %v", sr, err)
	}
	if got := states(g); got != "a:rollback@2 b:active@1 big:failed@1 active=b rollback=a" {
		t.Fatal(got)
	}
	// re-registering a failed model makes it registered again (version 2)
	reg(t, g, "big", 1024)
	// swap to an unknown model auto-registers it first
	sr, err = g.Swap(0, Opt[string]{}, Some("c"))
	if err != nil || !sr.AutoRegistered || sr.AutoModel != (Model{Name: "c", Version: 1, Ctx: 2048, State: StateRegistered}) || sr.From != "b" {
		t.Fatalf("auto swap %+v %v", sr, err)
	}
	if got := states(g); got != "a:registered@2 b:rollback@1 big:registered@2 c:active@1 active=c rollback=b" {
		t.Fatal(got)
	}
	// rollback goes to the rollback target; a second rollback swaps back
	rr, err := g.Rollback(0, Opt[string]{})
	if err != nil || rr.To != "b" || rr.Previous != "c" {
		t.Fatalf("rollback %+v %v", rr, err)
	}
	if got := states(g); got != "a:registered@2 b:active@1 big:registered@2 c:rollback@1 active=b rollback=c" {
		t.Fatal(got)
	}
	if rr, _ := g.Rollback(0, Opt[string]{}); rr.To != "c" || g.Status().Rollback != "b" {
		t.Fatalf("second rollback %+v", rr)
	}
	// rollback to a named version
	if rr, err := g.Rollback(0, Some("a")); err != nil || rr.Previous != "c" {
		t.Fatalf("rollback --to a: %+v %v", rr, err)
	}
	if got := states(g); got != "a:active@2 b:registered@1 big:registered@2 c:rollback@1 active=a rollback=c" {
		t.Fatal(got)
	}
	for _, tc := range []struct {
		to   Opt[string]
		want error
	}{{Some("nope"), ErrUnknownModel}, {Some("a"), ErrAlreadyActive}} {
		if _, err := g.Rollback(0, tc.to); !errors.Is(err, tc.want) {
			t.Fatalf("rollback %v: %v", tc.to, err)
		}
	}
	if _, err := newGov(t).Rollback(0, Opt[string]{}); !errors.Is(err, ErrNoTarget) {
		t.Fatalf("rollback on empty registry: %v", err)
	}
	// retire and shadow
	if err := g.Retire(0, "a"); !errors.Is(err, ErrBusy) {
		t.Fatalf("retire active: %v", err)
	}
	if err := g.Retire(0, "b"); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Swap(0, Some("a"), Some("b")); !errors.Is(err, ErrRetired) {
		t.Fatalf("swap to retired: %v", err)
	}
	if err := g.SetShadow(0, "c"); err != nil || g.Status().Shadow != "c" || g.Status().Rollback != "" {
		t.Fatalf("shadow: %v %+v", err, g.Status())
	}
	if got := states(g); got != "a:active@2 b:retired@1 big:registered@2 c:shadow@1 active=a rollback=" {
		t.Fatal(got)
	}
}

func TestRegisterRejections(t *testing.T) {
	g := newGov(t)
	for _, tc := range []struct {
		size, ctx Opt[uint64]
		reason    string
	}{
		{Some[uint64](131_073), Some[uint64](2048), "policy_size"}, // 131,073 KiB > 128 MiB
		{Some[uint64](1 << 62), Some[uint64](2048), "policy_size"},
		{Some[uint64](65_537), Some[uint64](2048), "size"},
		{Opt[uint64]{}, Some[uint64](2048), "size"},
		{Some[uint64](0), Some[uint64](0), "ctx"}, // the kernel's defaults
		{Some[uint64](0), Some[uint64](8193), "ctx"},
		{Some[uint64](0), Opt[uint64]{}, "ctx"},
	} {
		if _, err := g.Register(0, "m", tc.size, tc.ctx); Reason(err) != tc.reason {
			t.Fatalf("%+v: %v, want reason %s", tc, err, tc.reason)
		}
	}
	// 128 MiB exactly passes the policy and fails the 64 MiB limit.
	if _, err := g.Register(0, "m", Some[uint64](131_072), Some[uint64](1)); Reason(err) != "size" {
		t.Fatalf("128 MiB: %v", err)
	}
	if len(g.Models()) != 0 {
		t.Fatal("a rejected model was registered")
	}
	if _, err := g.Register(0, "m", Some[uint64](65_536), Some[uint64](8192)); err != nil {
		t.Fatalf("limits exactly: %v", err)
	}
	for i := 1; i < RegistryCapacity; i++ {
		reg(t, g, fmt.Sprintf("m%d", i), 1)
	}
	if _, err := g.Register(0, "one-too-many", Some[uint64](1), Some[uint64](1)); !errors.Is(err, ErrRegistryFull) {
		t.Fatalf("65th: %v", err)
	}
	if _, err := g.Register(0, "m1", Some[uint64](1), Some[uint64](1)); err != nil {
		t.Fatalf("re-register when full: %v", err)
	}
	if _, err := g.Swap(0, Opt[string]{}, Some("x")); !errors.Is(err, ErrNotActive) {
		t.Fatal(err)
	}
	g.Load(0, LoadRequest{RegistryID: Some("m1")})
	if _, err := g.Swap(0, Opt[string]{}, Some("x")); !errors.Is(err, ErrRegistryFull) {
		t.Fatalf("auto-register when full: %v", err)
	}
	if lr := g.Load(0, LoadRequest{RegistryID: Some("new")}); !lr.OK || !errors.Is(lr.Registry.Err, ErrRegistryFull) {
		t.Fatalf("load --id when full: %+v", lr.Registry)
	}
	names := []string{}
	for _, m := range g.Models()[:3] {
		names = append(names, m.Name)
	}
	if !reflect.DeepEqual(names, []string{"m", "m1", "m2"}) {
		t.Fatalf("registration order %v", names)
	}
}

// A failed load never touches the registry.
func TestLoadIDOnlyAfterSuccess(t *testing.T) {
	g := newGov(t)
	if lr := g.Load(0, LoadRequest{RegistryID: Some("x"), Ctx: Some[uint32](0)}); lr.OK || lr.Registry != nil || len(g.Models()) != 0 {
		t.Fatalf("%+v", lr)
	}
	lr := g.Load(0, LoadRequest{RegistryID: Some("x"), Ctx: Some[uint32](4096), SizeBytes: Some[uint64](2 << 20)})
	if m := lr.Registry.Model; m.SizeKB != 2048 || m.Ctx != 4096 || m.State != StateActive {
		t.Fatalf("%+v", m)
	}
}

func TestRemoveAndHealth(t *testing.T) {
	g := newGov(t)
	reg(t, g, "a", 1)
	reg(t, g, "b", 11*1024)
	g.Load(0, LoadRequest{RegistryID: Some("a")})
	if err := g.Remove(0, "a"); !errors.Is(err, ErrBusy) {
		t.Fatalf("remove active: %v", err)
	}
	h, err := g.Health("b")
	if err != nil || h.MemoryOK || !h.LatencyOK || h.FootprintBytes != 11*1024*1024 {
		t.Fatalf("health %+v %v", h, err)
	}
	if err := g.Remove(0, "b"); err != nil || len(g.Models()) != 1 {
		t.Fatalf("remove: %v, %d models", err, len(g.Models()))
	}
	if err := g.Remove(0, "b"); !errors.Is(err, ErrUnknownModel) {
		t.Fatalf("remove twice: %v", err)
	}
	if _, err := g.Health("b"); !errors.Is(err, ErrUnknownModel) {
		t.Fatalf("health of removed: %v", err)
	}
}
