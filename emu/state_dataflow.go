package emu

// dataflowState is the machine's glue to the dataflow graph (graphctl, ctlhex, ctlkey).
type dataflowState struct{}

// init builds the subsystem for a fresh machine; seed is its child seed.
func (s *dataflowState) init(m *Machine, seed uint64) error {
	_, _ = m, seed
	return nil
}
