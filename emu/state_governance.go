package emu

// govState is the machine's glue to LLM governance (llmctl, llminfer, llmstream, llmjson).
type govState struct{}

// init builds the subsystem for a fresh machine; seed is its child seed.
func (s *govState) init(m *Machine, seed uint64) error {
	_, _ = m, seed
	return nil
}
