package emu

// schedState is the machine's glue to the graph and LLM schedulers (det, rtaivalidation, temporaliso, phase3validation).
type schedState struct{}

// init builds the subsystem for a fresh machine; seed is its child seed.
func (s *schedState) init(m *Machine, seed uint64) error {
	_, _ = m, seed
	return nil
}
