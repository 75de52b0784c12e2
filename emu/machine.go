package emu

import (
	"bytes"
	"fmt"
	"math/bits"
	"math/rand/v2"

	"go.uber.org/zap"

	"github.com/sisemu/sisemu/sched/clock"
)

// LineCost is the virtual cost of every non-empty command line, added after
// the command finishes (sched.md §4.1): 62,500 ticks = 1 ms.
const LineCost clock.Ticks = 62_500

// Options configure a Machine. The zero value is a valid configuration: seed
// 0, virtual clock, no logging.
type Options struct {
	// Seed is the root of every random choice the machine makes. Each
	// subsystem gets a child seed drawn from it in a fixed order.
	Seed uint64
	// Clock, when set, is a real time source (wall clock, hardware timer)
	// the machine follows: before each line the virtual counter catches up
	// with the ticks that passed on it. Output is then not reproducible, by
	// choice (sched.md §4.1). Nil means a purely virtual machine.
	Clock clock.Source
	// Logger receives structured logs; nil means none. Logs never reach the
	// console output.
	Logger *zap.Logger
	// Predictions turns on the `[AI] Predicting: …` line before each
	// command's output (console.md §4.3; off by default, as the reference
	// decision says).
	Predictions bool
	// AuditPath, when set, is the durable governance audit journal (JSON
	// lines, SHA-256 chained). A machine started on an existing journal
	// continues its chain.
	AuditPath string
}

// Machine is one emulated SIS kernel: the subsystems, the virtual clock and
// the shell that drives them. Not safe for concurrent use.
type Machine struct {
	opts  Options
	log   *zap.Logger
	clock *clock.Virtual
	rng   *rand.Rand

	// realOrigin is the reading of Options.Clock when the machine booted.
	realOrigin clock.Ticks

	metricsOn bool
	predict   predictor

	// Subsystem glue, each defined in its own state_*.go file. Initialised
	// in this order; child seeds are drawn in this order.
	dataflow dataflowState
	sched    schedState
	gov      govState
	agents   agentsState

	// timers are the subsystem glues that implement timerSource, in the
	// order ties are broken: the order of the fields above, so the scheduler
	// wins ties against governance and agentsys (sched.md §4.1).
	timers []timerSource
}

// timerSource is implemented by subsystem glue that has events falling due
// as virtual time passes (job releases, health checks, autonomy ticks).
type timerSource interface {
	// nextDue returns the time of the earliest pending event, if any.
	nextDue() (clock.Ticks, bool)
	// fire processes the events due at or before now; it may print into c.
	fire(now clock.Ticks, c *Ctx)
}

// New builds and boots a machine.
func New(opts Options) (*Machine, error) {
	m := &Machine{
		opts:      opts,
		log:       opts.Logger,
		clock:     clock.NewVirtual(),
		metricsOn: true,
	}
	if m.log == nil {
		m.log = zap.NewNop()
	}
	root := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x5349535f454d55)) // "SIS_EMU"
	m.rng = rand.New(rand.NewPCG(root.Uint64(), root.Uint64()))
	childSeed := func() uint64 { return root.Uint64() }
	if err := m.dataflow.init(m, childSeed()); err != nil {
		return nil, fmt.Errorf("emu: dataflow: %w", err)
	}
	if err := m.sched.init(m, childSeed()); err != nil {
		return nil, fmt.Errorf("emu: sched: %w", err)
	}
	if err := m.gov.init(m, childSeed()); err != nil {
		return nil, fmt.Errorf("emu: governance: %w", err)
	}
	if err := m.agents.init(m, childSeed()); err != nil {
		return nil, fmt.Errorf("emu: agentsys: %w", err)
	}
	for _, s := range []any{&m.dataflow, &m.sched, &m.gov, &m.agents} {
		if ts, ok := s.(timerSource); ok {
			m.timers = append(m.timers, ts)
		}
	}
	if opts.Clock != nil {
		m.realOrigin = opts.Clock.Now()
	}
	return m, nil
}

// committer is implemented by subsystem glue that must make a command's
// effects durable before its output is returned (the governance journal):
// it runs after every command, whichever command it was, so a decision made
// through the Go API between lines is never left unjournaled.
type committer interface{ commit(c *Ctx) }

func (m *Machine) commit(c *Ctx) {
	for _, s := range []any{&m.dataflow, &m.sched, &m.gov, &m.agents} {
		if cm, ok := s.(committer); ok {
			cm.commit(c)
		}
	}
}

// closer is implemented by subsystem glue that holds resources (files).
type closer interface{ close() error }

// Close releases what the machine holds open (the audit journal). The
// machine must not be used afterwards.
func (m *Machine) Close() error {
	var first error
	for _, s := range []any{&m.dataflow, &m.sched, &m.gov, &m.agents} {
		if c, ok := s.(closer); ok {
			if err := c.close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

// MustNew is New for tests and examples with known-good options.
func MustNew(opts Options) *Machine {
	m, err := New(opts)
	if err != nil {
		panic(err)
	}
	return m
}

// Now returns the current virtual time.
func (m *Machine) Now() clock.Ticks { return m.clock.Now() }

// Seed returns the seed the machine was built with.
func (m *Machine) Seed() uint64 { return m.opts.Seed }

// Rand returns the machine's own random source (for emu-level choices).
func (m *Machine) Rand() *rand.Rand { return m.rng }

// MetricsOn reports the global metric switch.
func (m *Machine) MetricsOn() bool { return m.metricsOn }

// SetMetrics sets the global metric switch (metricsctl, autonomy).
func (m *Machine) SetMetrics(on bool) { m.metricsOn = on }

// Result is what one command line produced.
type Result struct {
	// Output is everything the kernel prints for the line between its echo
	// and the next prompt, LF-terminated lines, byte-exact.
	Output string
	// Metrics are the METRIC lines of Output, parsed, in order.
	Metrics []Metric
	// Done reports whether the output ends with CMD_DONE.
	Done bool
	// Start is the virtual time at which the command began.
	Start clock.Ticks
	// Elapsed is the virtual time the line took, line cost included.
	Elapsed clock.Ticks
	// Empty reports a line with no tokens (not dispatched, no cost).
	Empty bool
}

// Exec runs one command line and returns its output. The line is what the
// console's line editor hands over: printable ASCII, at most 255 bytes, but
// Exec accepts any string and never panics on it.
func (m *Machine) Exec(line string) Result {
	toks := Tokenize(line)
	if len(toks) == 0 {
		return Result{Empty: true, Start: m.Now()}
	}
	var buf bytes.Buffer
	c := &Ctx{Name: toks[0], Args: toks[1:], m: m, out: &buf}
	m.catchUp(c)
	start := m.Now()
	if m.opts.Predictions {
		if l := m.predict.predict(toks[0]); l != "" {
			c.Println(l)
		}
	}
	if cmd, ok := commands[toks[0]]; ok {
		cmd.Run(m, c)
	} else {
		c.Printf("Unknown command: %s", toks[0])
		c.Println("Type 'help' for available commands")
	}
	m.commit(c)
	beforeCost := buf.Len()
	m.advanceTo(m.Now().Add(LineCost), c)
	if c.done && buf.Len() > beforeCost {
		// Events that fell due in the line cost print into this line's
		// output, but CMD_DONE stays its last line (console.md §5).
		keepDoneLast(&buf, beforeCost)
	}
	if m.opts.Predictions {
		m.predict.learn(toks[0], buf.String())
	}
	m.log.Debug("command", zap.String("line", line), zap.Uint64("start_ticks", uint64(start)),
		zap.Uint64("end_ticks", uint64(m.Now())), zap.Int("output_bytes", buf.Len()))
	return Result{
		Output:  buf.String(),
		Metrics: c.metrics,
		Done:    c.done,
		Start:   start,
		Elapsed: m.Now() - start,
	}
}

// keepDoneLast moves a CMD_DONE line ending the first n bytes of buf to the
// end of buf.
func keepDoneLast(buf *bytes.Buffer, n int) {
	const done = "CMD_DONE\n"
	b := buf.Bytes()
	if !bytes.HasSuffix(b[:n], []byte(done)) {
		return
	}
	tail := append([]byte(nil), b[n:]...)
	buf.Truncate(n - len(done))
	buf.Write(tail)
	buf.WriteString(done)
}

// catchUp fires events already due and, with a real clock, moves virtual
// time up to the real time that has passed.
func (m *Machine) catchUp(c *Ctx) {
	target := m.Now()
	if m.opts.Clock != nil {
		target = max(target, rescale(m.opts.Clock.Now()-m.realOrigin, m.opts.Clock.Frequency()))
	}
	m.advanceTo(target, c)
}

// rescale converts a count of a freq-Hz counter to 62.5 MHz ticks, in 128
// bits so that hours of a 1 GHz counter do not overflow.
func rescale(t clock.Ticks, freq uint64) clock.Ticks {
	if freq == 0 || freq == clock.Hz {
		return t
	}
	hi, lo := bits.Mul64(uint64(t), clock.Hz)
	if hi >= freq {
		return clock.Ticks(^uint64(0))
	}
	q, _ := bits.Div64(hi, lo, freq)
	return clock.Ticks(q)
}

// Advance moves virtual time forward by d outside any command (vclock-like
// use from Go). Due events fire; anything they print is returned.
func (m *Machine) Advance(d clock.Ticks) string {
	var buf bytes.Buffer
	c := &Ctx{Name: "", m: m, out: &buf}
	m.advanceTo(m.Now().Add(d), c)
	return buf.String()
}

// advanceTo moves the clock to t, firing due events in time order; ties go
// to the earlier timer source in m.timers.
func (m *Machine) advanceTo(t clock.Ticks, c *Ctx) {
	for {
		var (
			best    timerSource
			bestDue clock.Ticks
		)
		for _, ts := range m.timers {
			if due, ok := ts.nextDue(); ok && due <= t && (best == nil || due < bestDue) {
				best, bestDue = ts, due
			}
		}
		if best == nil {
			break
		}
		m.clock.AdvanceTo(bestDue)
		best.fire(m.Now(), c)
	}
	m.clock.AdvanceTo(t)
}
