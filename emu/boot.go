package emu

// bootLines is the normative boot transcript of console.md §2.2, up to (not
// including) the first prompt.
var bootLines = []string{
	"!KERNEL(U)",
	"STACK OK",
	"VECTORS OK",
	"MMU: MAIR/TCR",
	"MMU: TABLES",
	"MMU: TTBR0",
	"MMU: SCTLR",
	"MMU ON",
	"PMU: INIT",
	"PMU: READY",
	"UART: INIT",
	"UART: READY",
	"METRIC cntfrq_hz=62500000",
	"HEAP: INIT",
	"HEAP: READY",
	"HEAP: TESTING",
	"HEAP: TESTS PASSED",
	"METRICS: STARTING",
	"METRICS: COMPLETE",
	"MEMORY AGENT: INIT",
	"MEMORY AGENT: READY",
	"META-AGENT: INIT",
	"META-AGENT: READY",
	"AUTONOMY: set_ready complete",
	"[AgentSys] Initialized (sync mode)",
	"[ASM] Agent Supervision Module initialized",
	"[ASM] EU AI Act compliance tracking enabled",
	"[ASM] Advanced features: Resource monitoring, Dependencies, Profiling",
	"[ASM] Cloud Gateway initialized",
	"LAUNCHING SHELL",
	"[MAIN] STARTING FULL SHELL",
	"[SHELL] PROBE PRE",
	"t",
	"[SHELL] PROBE POST",
	"s",
	"S",
	"",
	"=== SIS Kernel Shell ===",
	"Type 'help' for available commands",
	"",
}

// bootText is bootLines joined with LF, built once.
var bootText = func() string {
	n := 0
	for _, l := range bootLines {
		n += len(l) + 1
	}
	b := make([]byte, 0, n)
	for _, l := range bootLines {
		b = append(b, l...)
		b = append(b, '\n')
	}
	return string(b)
}()

// Boot returns the boot transcript the kernel prints before its first prompt
// (console.md §2.2), byte for byte. The prompt itself is the console's.
// Booting costs no virtual time: the first command runs at tick 0.
func (m *Machine) Boot() string { return bootText }
