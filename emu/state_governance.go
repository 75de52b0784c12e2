package emu

import (
	"fmt"

	"github.com/sisemu/sisemu/governance"
	"github.com/sisemu/sisemu/governance/audit"
)

// govState is the machine's glue to LLM governance (llmctl, llminfer,
// llmstream, llmjson): the governance state machine and, with
// Options.AuditPath, the durable audit journal its decisions go to.
type govState struct {
	g       *governance.Governor
	journal *audit.Journal
}

// init builds the subsystem for a fresh machine; seed is its child seed.
// With an audit path the journal is opened (created, or verified and
// continued); a journal that does not verify stops the machine from
// starting rather than being extended.
func (s *govState) init(m *Machine, seed uint64) error {
	_ = seed // governance makes no random choices
	g, err := governance.New(governance.Options{RecordEvents: m.opts.AuditPath != ""})
	if err != nil {
		return err
	}
	s.g = g
	if m.opts.AuditPath != "" {
		j, err := audit.Open(m.opts.AuditPath)
		if err != nil {
			return fmt.Errorf("audit journal: %w", err)
		}
		s.journal = j
	}
	return nil
}

// close closes the audit journal.
func (s *govState) close() error {
	if s.journal == nil {
		return nil
	}
	return s.journal.Close()
}

// flush makes the decisions of the command durable before its output
// reaches the console: each queued event is appended and fsynced. A failure
// is reported on the console (the decision itself has happened in memory);
// the journal then refuses further records.
func (s *govState) flush(c *Ctx) {
	evs := s.g.Drain()
	if s.journal == nil {
		return
	}
	for _, e := range evs {
		if _, err := s.journal.Append(e); err != nil {
			c.Printf("[LLM][AUDIT] journal write failed: %v", err)
			return
		}
	}
}

// commit flushes after every command (see committer).
func (s *govState) commit(c *Ctx) { s.flush(c) }

// Governor returns the machine's governance state (for tests and tools).
func (m *Machine) Governor() *governance.Governor { return m.gov.g }
