package governance

import (
	"errors"
	"fmt"

	"github.com/sisemu/sisemu/governance/audit"
	"github.com/sisemu/sisemu/sched/clock"
)

// Registry limits and modelled costs (governance.md §2.4, §3.2).
const (
	// HealthMaxBytes is the memory health check's limit on a model's
	// footprint (§2.4); a swap or rollback to a larger model fails.
	HealthMaxBytes = 10_485_760
	// HealthCheckNs is the modelled time of the health checks (100 stub
	// predictions of 1 µs) run before a swap commits.
	HealthCheckNs = 100_000
	// LoadNsPerByte is the modelled time to read a model image (1 GB/s).
	LoadNsPerByte = 1
	// SwitchNs is the downtime of a hot swap: the atomic switch of the
	// active model, one timer tick. Loading and health checks happen
	// before it while the old model still serves.
	SwitchNs = clock.NsPerTick
	// AutoRegisterCtx is the context length of a model auto-registered by swap.
	AutoRegisterCtx = 2048
)

// Registry errors; Reason maps each to the word the console prints.
var (
	// ErrPolicySize: size × 1024 exceeds the 128 MiB policy.
	ErrPolicySize = errors.New("governance: size exceeds policy limit")
	// ErrModelSize: over 64 MiB, or a size that did not parse.
	ErrModelSize = errors.New("governance: model size out of range")
	// ErrCtx: ctx outside 1..8192, or a ctx that did not parse.
	ErrCtx = errors.New("governance: context length out of range")
	// ErrRegistryFull: 64 models are registered already.
	ErrRegistryFull = errors.New("governance: registry full")
	// ErrNotActive: a swap's --from is not the active model.
	ErrNotActive = errors.New("governance: swap source is not the active model")
	// ErrNoTarget: no swap target, or no rollback target.
	ErrNoTarget = errors.New("governance: no target model")
	// ErrUnknownModel: no model by that name.
	ErrUnknownModel = errors.New("governance: unknown model")
	// ErrAlreadyActive: the target is the active model already.
	ErrAlreadyActive = errors.New("governance: model already active")
	// ErrRetired: the model was retired.
	ErrRetired = errors.New("governance: model retired")
	// ErrHealth: the model fails the memory health check (> 10 MiB).
	ErrHealth = errors.New("governance: health check failed")
	// ErrBusy: the operation is not allowed on the active model.
	ErrBusy = errors.New("governance: model is active")
)

// Reason is the console word for a registry error ("" for nil).
func Reason(err error) string {
	for _, r := range []struct {
		err  error
		word string
	}{
		{ErrPolicySize, "policy_size"}, {ErrModelSize, "size"}, {ErrCtx, "ctx"}, {ErrRegistryFull, "full"},
		{ErrNotActive, "not_active"}, {ErrNoTarget, "no_target"}, {ErrUnknownModel, "unknown_model"},
		{ErrAlreadyActive, "already_active"}, {ErrRetired, "retired"}, {ErrHealth, "health_memory"},
		{ErrBusy, "busy"},
	} {
		if errors.Is(err, r.err) {
			return r.word
		}
	}
	if err != nil {
		return "error"
	}
	return ""
}

// ModelState is where a named model stands in the registry.
type ModelState uint8

// Model states.
const (
	// StateRegistered: known, not in any role.
	StateRegistered ModelState = iota
	// StateActive: serving; at most one model.
	StateActive
	// StateShadow: deployed beside the active model for comparison.
	StateShadow
	// StateRollback: the previous active model, the default rollback target.
	StateRollback
	// StateFailed: failed validation; re-registering clears it.
	StateFailed
	// StateRetired: out of service for good.
	StateRetired
)

// String is the lower-case state word.
func (s ModelState) String() string {
	switch s {
	case StateRegistered:
		return "registered"
	case StateActive:
		return "active"
	case StateShadow:
		return "shadow"
	case StateRollback:
		return "rollback"
	case StateFailed:
		return "failed"
	case StateRetired:
		return "retired"
	}
	return fmt.Sprintf("state(%d)", uint8(s))
}

// Model is one named registry entry.
type Model struct {
	Name         string
	Version      uint32
	SizeKB       uint64
	Ctx          uint32
	State        ModelState
	RegisteredNs uint64
}

// registry is the named model registry: entries in registration order and
// the three role pointers.
type registry struct {
	models   []Model
	active   string
	rollback string
	shadow   string
}

func (r *registry) find(name string) *Model {
	for i := range r.models {
		if r.models[i].Name == name {
			return &r.models[i]
		}
	}
	return nil
}

// setState gives name state s (no-op for "" or unknown names).
func (r *registry) setState(name string, s ModelState) {
	if m := r.find(name); m != nil {
		m.State = s
	}
}

// promote makes name active: the old active becomes the rollback target and
// the old rollback target (if another model) goes back to registered.
func (r *registry) promote(name string) (previous string) {
	previous = r.active
	if previous == name {
		return previous
	}
	if r.rollback != "" && r.rollback != name && r.rollback != previous {
		r.setState(r.rollback, StateRegistered)
	}
	if r.shadow == name {
		r.shadow = ""
	}
	r.rollback = ""
	if previous != "" {
		r.rollback = previous
		r.setState(previous, StateRollback)
	}
	r.active = name
	r.setState(name, StateActive)
	return previous
}

// Models returns the registry entries in registration order.
func (g *Governor) Models() []Model { return append([]Model(nil), g.reg.models...) }

// Query returns the named model.
func (g *Governor) Query(name string) (Model, bool) {
	if m := g.reg.find(name); m != nil {
		return *m, true
	}
	return Model{}, false
}

// RegisterResult is what `llmctl register` did.
type RegisterResult struct {
	Model Model
	// Reregistered: the name existed and its version was bumped.
	Reregistered bool
}

// Register adds name to the registry (or bumps its version) with a size in
// KiB and a context length. An unset Opt is a value that did not parse.
// Checks, in order: the 128 MiB policy (ErrPolicySize), the 64 MiB model
// limit or a bad size (ErrModelSize), ctx 1..8192 or a bad ctx (ErrCtx),
// room for a new name (ErrRegistryFull).
func (g *Governor) Register(now clock.Ticks, name string, sizeKB, ctx Opt[uint64]) (RegisterResult, error) {
	t := now.Ns()
	err := func() error {
		if sizeKB.Set && (sizeKB.V > PolicyMaxBytes/1024) {
			return ErrPolicySize
		}
		if !sizeKB.Set || sizeKB.V > MaxModelBytes/1024 {
			return ErrModelSize
		}
		if !ctx.Set || ctx.V < MinCtx || ctx.V > MaxCtx {
			return ErrCtx
		}
		if g.reg.find(name) == nil && len(g.reg.models) >= RegistryCapacity {
			return ErrRegistryFull
		}
		return nil
	}()
	if err != nil {
		fields := []audit.Field{f("op", "register"), f("id", name), f("reason", Reason(err))}
		if sizeKB.Set {
			fields = append(fields, f("size_kb", sizeKB.V))
		}
		if ctx.Set {
			fields = append(fields, f("ctx", ctx.V))
		}
		g.emit("reject", t, fields...)
		return RegisterResult{}, fmt.Errorf("register %s: %w", name, err)
	}
	m, re := g.register(t, name, sizeKB.V, uint32(ctx.V), false)
	return RegisterResult{Model: m, Reregistered: re}, nil
}

// register adds or re-registers a validated model and journals it.
func (g *Governor) register(t uint64, name string, sizeKB uint64, ctx uint32, auto bool) (Model, bool) {
	re := false
	m := g.reg.find(name)
	if m != nil {
		re = true
		m.Version++
		m.SizeKB, m.Ctx, m.RegisteredNs = sizeKB, ctx, t
		if m.State == StateFailed {
			m.State = StateRegistered
		}
	} else {
		g.reg.models = append(g.reg.models, Model{Name: name, Version: 1, SizeKB: sizeKB, Ctx: ctx, State: StateRegistered, RegisteredNs: t})
		m = &g.reg.models[len(g.reg.models)-1]
	}
	g.emit("register", t, f("id", name), f("version", uint64(m.Version)), f("size_kb", sizeKB),
		f("ctx", uint64(ctx)), f("state", m.State.String()), f("auto", auto))
	return *m, re
}

// ActivateResult is the registry side of `llmctl load --id NAME`.
type ActivateResult struct {
	Model      Model
	Registered bool   // NAME was new
	Previous   string // the model that was active before ("" if none)
	Err        error  // ErrRegistryFull: NAME could not be registered
}

// activate registers name if needed and makes it the active model.
func (g *Governor) activate(t uint64, name string, sizeKB uint64, ctx uint32) ActivateResult {
	var a ActivateResult
	if g.reg.find(name) == nil {
		if len(g.reg.models) >= RegistryCapacity {
			a.Err = fmt.Errorf("activate %s: %w", name, ErrRegistryFull)
			g.emit("reject", t, f("op", "activate"), f("id", name), f("reason", "full"))
			return a
		}
		g.register(t, name, sizeKB, ctx, false)
		a.Registered = true
	}
	a.Previous = g.reg.promote(name)
	a.Model = *g.reg.find(name)
	g.emit("activate", t, f("id", name), f("version", uint64(a.Model.Version)), f("previous", a.Previous))
	return a
}

// SwapResult is what `llmctl swap` did (or would have done).
type SwapResult struct {
	From, To string
	// ActiveBefore is the active model when the swap was asked for.
	ActiveBefore string
	// AutoRegistered: To was unknown and registered first.
	AutoRegistered bool
	AutoModel      Model
	// Model is the new active model (the failed one on ErrHealth).
	Model Model
	// FootprintBytes is what the memory health check measured.
	FootprintBytes uint64
	// ValidateNs is the modelled load and health-check time (the old model
	// still serves); DowntimeNs the time with no active model. The caller
	// spends both on the clock.
	ValidateNs uint64
	DowntimeNs uint64
}

// validate runs the pre-commit checks of a swap or rollback to m.
func validate(m *Model) (footprint uint64, err error) {
	if m.State == StateRetired {
		return 0, ErrRetired
	}
	footprint = m.SizeKB * 1024
	if footprint > HealthMaxBytes {
		return footprint, ErrHealth
	}
	return footprint, nil
}

// Swap hot-swaps the active model from `from` (default: the active one) to
// `to` (governance.md §3.2). Checks, in order: from must be active
// (ErrNotActive, nothing registered), a target is needed (ErrNoTarget) and
// must not be active already (ErrAlreadyActive); an unknown target is then
// auto-registered; the target must not be retired (ErrRetired) and must
// pass the memory health check (ErrHealth, and it becomes failed). Only then
// does the switch happen, all at once: to active, from rollback.
func (g *Governor) Swap(now clock.Ticks, from, to Opt[string]) (SwapResult, error) {
	t := now.Ns()
	r := SwapResult{From: from.Or(g.reg.active), To: to.Or(""), ActiveBefore: g.reg.active}
	reject := func(err error) (SwapResult, error) {
		g.emit("reject", t, f("op", "swap"), f("from", r.From), f("to", r.To), f("active", r.ActiveBefore), f("reason", Reason(err)))
		return r, fmt.Errorf("swap %s -> %s: %w", r.From, r.To, err)
	}
	if g.reg.active == "" || r.From != g.reg.active {
		return reject(ErrNotActive)
	}
	if !to.Set {
		return reject(ErrNoTarget)
	}
	if r.To == g.reg.active {
		return reject(ErrAlreadyActive)
	}
	m := g.reg.find(r.To)
	if m == nil {
		if len(g.reg.models) >= RegistryCapacity {
			return reject(ErrRegistryFull)
		}
		r.AutoModel, _ = g.register(t, r.To, 0, AutoRegisterCtx, true)
		r.AutoRegistered = true
		m = g.reg.find(r.To)
	}
	fp, err := validate(m)
	r.FootprintBytes = fp
	if err != nil {
		if errors.Is(err, ErrHealth) {
			m.State = StateFailed
		}
		r.Model = *m
		return reject(err)
	}
	r.ValidateNs = fp*LoadNsPerByte + HealthCheckNs
	r.DowntimeNs = SwitchNs
	g.reg.promote(r.To)
	r.Model = *g.reg.find(r.To)
	g.emit("swap", t+r.ValidateNs+r.DowntimeNs, f("from", r.From), f("to", r.To), f("version", uint64(r.Model.Version)),
		f("rollback", g.reg.rollback), f("validate_ns", r.ValidateNs), f("downtime_ns", r.DowntimeNs))
	return r, nil
}

// RollbackResult is what `llmctl rollback` did.
type RollbackResult struct {
	To       string
	Previous string
	Model    Model
	// ValidateNs and DowntimeNs as for a swap.
	ValidateNs uint64
	DowntimeNs uint64
}

// Rollback makes `to` (default: the rollback target) active; the model
// that was active becomes the rollback target, so a second rollback swaps
// back. Errors: ErrNoTarget, ErrUnknownModel, ErrAlreadyActive, ErrRetired,
// ErrHealth (the target becomes failed).
func (g *Governor) Rollback(now clock.Ticks, to Opt[string]) (RollbackResult, error) {
	t := now.Ns()
	r := RollbackResult{To: to.Or(g.reg.rollback), Previous: g.reg.active}
	reject := func(err error) (RollbackResult, error) {
		g.emit("reject", t, f("op", "rollback"), f("to", r.To), f("active", r.Previous), f("reason", Reason(err)))
		return r, fmt.Errorf("rollback to %q: %w", r.To, err)
	}
	if r.To == "" {
		return reject(ErrNoTarget)
	}
	m := g.reg.find(r.To)
	if m == nil {
		return reject(ErrUnknownModel)
	}
	if r.To == g.reg.active {
		return reject(ErrAlreadyActive)
	}
	fp, err := validate(m)
	if err != nil {
		if errors.Is(err, ErrHealth) {
			m.State = StateFailed
		}
		r.Model = *m
		return reject(err)
	}
	r.ValidateNs = fp*LoadNsPerByte + HealthCheckNs
	r.DowntimeNs = SwitchNs
	g.reg.promote(r.To)
	r.Model = *g.reg.find(r.To)
	g.emit("rollback", t+r.ValidateNs+r.DowntimeNs, f("active", r.To), f("previous", r.Previous),
		f("validate_ns", r.ValidateNs), f("downtime_ns", r.DowntimeNs))
	return r, nil
}

// SetShadow makes a registered model the shadow (for shadow deployment).
// The active model cannot be the shadow (ErrBusy).
func (g *Governor) SetShadow(now clock.Ticks, name string) error {
	m := g.reg.find(name)
	if m == nil {
		return fmt.Errorf("shadow %s: %w", name, ErrUnknownModel)
	}
	if name == g.reg.active {
		return fmt.Errorf("shadow %s: %w", name, ErrBusy)
	}
	if m.State == StateRetired {
		return fmt.Errorf("shadow %s: %w", name, ErrRetired)
	}
	if g.reg.shadow != "" && g.reg.shadow != name {
		g.reg.setState(g.reg.shadow, StateRegistered)
	}
	if g.reg.rollback == name {
		g.reg.rollback = ""
	}
	g.reg.shadow = name
	m.State = StateShadow
	g.emit("shadow", now.Ns(), f("id", name), f("version", uint64(m.Version)))
	return nil
}

// Retire takes a model out of service for good; the active model cannot be
// retired (ErrBusy).
func (g *Governor) Retire(now clock.Ticks, name string) error {
	m := g.reg.find(name)
	if m == nil {
		return fmt.Errorf("retire %s: %w", name, ErrUnknownModel)
	}
	if name == g.reg.active {
		return fmt.Errorf("retire %s: %w", name, ErrBusy)
	}
	if g.reg.shadow == name {
		g.reg.shadow = ""
	}
	if g.reg.rollback == name {
		g.reg.rollback = ""
	}
	m.State = StateRetired
	g.emit("retire", now.Ns(), f("id", name), f("version", uint64(m.Version)))
	return nil
}

// Remove deletes a model from the registry (`modelctl remove`). The active
// model cannot be removed (ErrBusy, the kernel's EBUSY).
func (g *Governor) Remove(now clock.Ticks, name string) error {
	if name == g.reg.active {
		return fmt.Errorf("remove %s: %w", name, ErrBusy)
	}
	for i := range g.reg.models {
		if g.reg.models[i].Name != name {
			continue
		}
		g.reg.models = append(g.reg.models[:i], g.reg.models[i+1:]...)
		if g.reg.rollback == name {
			g.reg.rollback = ""
		}
		if g.reg.shadow == name {
			g.reg.shadow = ""
		}
		g.emit("remove", now.Ns(), f("id", name))
		return nil
	}
	return fmt.Errorf("remove %s: %w", name, ErrUnknownModel)
}

// HealthLatencyLimitUs is the latency health check's p99 limit (§2.4).
const HealthLatencyLimitUs = 1000

// HealthStubPredictUs is the modelled latency of one stub prediction.
const HealthStubPredictUs = 1

// Health is the result of the §2.4 health checks on one model.
type Health struct {
	// LatencyP99Us is the p99 of 100 stub predictions.
	LatencyP99Us   uint64
	FootprintBytes uint64
	LatencyOK      bool
	MemoryOK       bool
}

// Health runs the health checks the swap validation uses (`modelctl
// health`): latency p99 ≤ 1000 µs, footprint ≤ 10,485,760 bytes.
func (g *Governor) Health(name string) (Health, error) {
	m := g.reg.find(name)
	if m == nil {
		return Health{}, fmt.Errorf("health %s: %w", name, ErrUnknownModel)
	}
	h := Health{LatencyP99Us: HealthStubPredictUs, FootprintBytes: m.SizeKB * 1024}
	h.LatencyOK = h.LatencyP99Us <= HealthLatencyLimitUs
	h.MemoryOK = h.FootprintBytes <= HealthMaxBytes
	return h, nil
}
