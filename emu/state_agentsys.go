package emu

// agentsState is the machine's glue to the agent system (agentsys, gwstatus, asm*).
type agentsState struct{}

// init builds the subsystem for a fresh machine; seed is its child seed.
func (s *agentsState) init(m *Machine, seed uint64) error {
	_, _ = m, seed
	return nil
}
