package emu

import (
	"fmt"

	"github.com/sisemu/sisemu/agentsys"
	"github.com/sisemu/sisemu/agentsys/asm"
	"github.com/sisemu/sisemu/sched/clock"
)

// agentsState is the machine's glue to the agent system (agentsys, gwstatus,
// asm*): the protocol endpoint with its VFS and audit ring, and the Agent
// Supervision Module whose health checks run on the virtual clock.
type agentsState struct {
	sys *agentsys.System
}

// init builds the subsystem for a fresh machine; seed is its child seed
// (AgentSys makes no random choices).
func (s *agentsState) init(m *Machine, seed uint64) error {
	_, _ = m, seed
	sys, err := agentsys.New(agentsys.Options{})
	if err != nil {
		return fmt.Errorf("agentsys: %w", err)
	}
	s.sys = sys
	return nil
}

// nextDue is the next ASM health check (one per simulated second while an
// agent is supervised).
func (s *agentsState) nextDue() (clock.Ticks, bool) { return s.sys.ASM().NextCheck() }

// fire runs the health checks due by now and prints what they did.
func (s *agentsState) fire(now clock.Ticks, c *Ctx) {
	printASMEvents(c, s.sys.ASM().HealthCheck(now))
}

// printASMEvents writes the supervisor's events as the kernel's [ASM] lines.
func printASMEvents(c *Ctx, evs []asm.Event) {
	for _, e := range evs {
		switch e.Kind {
		case asm.EvExited:
			c.Printf("[ASM] Agent %d exited (code %d)", e.Agent, e.Code)
		case asm.EvFault:
			c.Printf("[ASM] Agent %d fault detected: %s", e.Agent, e.Fault)
		case asm.EvRestarting:
			c.Printf("[ASM] Restarting agent %d (attempt %d/%d)", e.Agent, e.Attempt, e.Max)
		case asm.EvMaxRestarts:
			c.Printf("[ASM] Agent %d exceeded max restarts", e.Agent)
		case asm.EvKilling:
			c.Printf("[ASM] Killing agent %d (PID: %d)", e.Agent, e.PID)
		case asm.EvTerminated:
			c.Printf("[ASM] Agent %d terminated", e.Agent)
		}
	}
}
