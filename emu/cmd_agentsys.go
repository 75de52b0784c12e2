package emu

import (
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/sisemu/sisemu/agentsys"
	"github.com/sisemu/sisemu/agentsys/asm"
	"github.com/sisemu/sisemu/agentsys/frame"
	"github.com/sisemu/sisemu/agentsys/vfs"
)

// agentsysHelp is `agentsys help`: the first line is normative (§5.4), the
// rest lists every subcommand with its syntax.
var agentsysHelp = []string{
	"Usage: agentsys <subcommand> [args]",
	"",
	"Protocol:",
	"  test-fs-list                        FS_LIST /tmp/ as the test agent",
	"  test-audio-play                     AUDIO_PLAY track 42 as the test agent",
	"  test-invalid-opcode                 send opcode 0x3F (expects Unsupported)",
	"  test-deny                           FS_LIST as music_agent (expects a denial)",
	"  test-scope                          FS_LIST outside and inside files_agent's scope",
	"  overhead                            memory overhead of the protocol state",
	"  call <agent_id> <opcode> [hex_payload]  send one frame",
	"  audit [N]                           newest N audit records (default 10)",
	"  protocol-status                     agent table and operation count",
	"  status                              protocol status and ASM status",
	"",
	"Supervision:",
	"  spawn <agent_id> <name> <capabilities> [--auto-restart]",
	"  kill <agent_id>",
	"  restart <agent_id>",
	"  exit <agent_id> <exit_code>",
	"  list | telemetry | compliance | dump | gwstatus | depgraph",
	"  info <agent_id> | policy <agent_id>",
	"  metrics <agent_id> | resources <agent_id> | profile <agent_id> | risk <agent_id>",
	"  profile-reset [agent_id]",
	"  limits <agent_id> | deps <agent_id>",
	"  depend <agent_id> <dependency_id>",
	"  policy-update <agent_id> <capability>",
	"  help",
}

func init() {
	register(Command{
		Name:    "agentsys",
		Summary: "AgentSys protocol tests, audit and agent supervision",
		Usage:   agentsysHelp,
		Run:     runAgentsys,
	})
}

// agentsysSubs maps each subcommand to its handler.
var agentsysSubs map[string]func(m *Machine, c *Ctx, args []string)

func init() {
	agentsysSubs = map[string]func(m *Machine, c *Ctx, args []string){
		"test-fs-list":        runTestFsList,
		"test-audio-play":     runTestAudioPlay,
		"test-invalid-opcode": runTestInvalidOpcode,
		"test-deny":           runTestDeny,
		"test-scope":          runTestScope,
		"overhead":            runOverhead,
		"call":                runCall,
		"audit":               runAudit,
		"protocol-status":     func(m *Machine, c *Ctx, _ []string) { protocolStatus(m, c); c.Done() },
		"status":              func(m *Machine, c *Ctx, _ []string) { protocolStatus(m, c); c.Lines(asmStatusScreen(m)...) },
		"spawn":               runSpawn,
		"kill":                runKill,
		"restart":             runRestart,
		"exit":                runExit,
		"metrics":             runMetrics,
		"resources":           runResources,
		"profile":             runProfile,
		"risk":                runRisk,
		"profile-reset":       runProfileReset,
		"limits":              runLimits,
		"deps":                runDeps,
		"depgraph":            func(m *Machine, c *Ctx, _ []string) { c.Lines(depgraphScreen(m)...) },
		"depend":              runDepend,
		"policy-update":       runPolicyUpdate,
		"list":                func(m *Machine, c *Ctx, _ []string) { c.Lines(listScreen(m)...) },
		"telemetry":           func(m *Machine, c *Ctx, _ []string) { c.Lines(telemetryScreen(m)...) },
		"compliance":          func(m *Machine, c *Ctx, _ []string) { c.Lines(complianceScreen(m)...) },
		"dump":                func(m *Machine, c *Ctx, _ []string) { c.Lines(dumpScreen(m)...) },
		"gwstatus":            func(m *Machine, c *Ctx, _ []string) { c.Lines(gwstatusScreen(m)...) },
		"info":                func(m *Machine, c *Ctx, a []string) { runInfo(m, c, "asminfo", a) },
		"policy":              func(m *Machine, c *Ctx, a []string) { runPolicy(m, c, "asmpolicy", a) },
		"help":                func(_ *Machine, c *Ctx, _ []string) { c.Lines(agentsysHelp...) },
	}
}

func runAgentsys(m *Machine, c *Ctx) {
	if len(c.Args) == 0 {
		c.Lines(agentsysHelp...)
		return
	}
	sub, ok := agentsysSubs[c.Args[0]]
	if !ok {
		c.Println("Unknown agentsys subcommand. Use 'agentsys help' for usage.")
		c.Lines(agentsysHelp...)
		return
	}
	sub(m, c, c.Args[1:])
}

// --- protocol -------------------------------------------------------------

// call sends one frame and prints its lines (§2.2, §2.3, §3).
func call(m *Machine, c *Ctx, agent uint16, op frame.Opcode, payload []byte) agentsys.Result {
	r := m.agents.sys.HandleFrame(c.Now(), op, frame.Token(agent), payload)
	printCall(c, r)
	return r
}

func printCall(c *Ctx, r agentsys.Result) {
	printASMEvents(c, r.ASMBefore)
	name := r.Op.String()
	switch r.Kind {
	case agentsys.Unsupported:
		c.Printf("[AgentSys] Unsupported opcode 0x%02X", uint8(r.Op))
	case agentsys.BadFrame:
		c.Printf("[AgentSys] %s bad frame: %s", name, r.BadFrame)
	case agentsys.AuthFailed:
		c.Printf("[AgentSys] %s denied: %s", name, r.Denial)
	case agentsys.IoError:
		printIOError(c, r)
	default:
		printEffect(c, r)
	}
	printASMEvents(c, r.ASMAfter)
	result := "DENY"
	if r.Record.Allowed {
		result = "ALLOW"
	}
	c.Printf("[AUDIT] agent=%d op=0x%02X result=%s", r.Record.Agent, uint8(r.Record.Op), result)
}

func printIOError(c *Ctx, r agentsys.Result) {
	e := r.IO
	switch e.Stage {
	case agentsys.StageDocRef:
		c.Printf("[DOC] Unknown document ref=%d", e.Ref)
	case agentsys.StageReaddir:
		c.Printf("[FS] Error: %v", e.Err)
	case agentsys.StageMediaCreate, agentsys.StageMediaWrite:
		prefix := map[frame.Opcode]string{frame.AudioPlay: "[Audio]", frame.Screenshot: "[Screenshot]", frame.AudioRecord: "[Record]"}[r.Op]
		if e.Stage == agentsys.StageMediaCreate {
			c.Println(prefix + " Failed to create file")
		} else {
			c.Println(prefix + " Write failed")
		}
	default:
		c.Printf("[FS] %s error: %v", e.Stage, e.Err)
	}
}

// oneLine keeps payload text (names, paths) on the line the kernel's
// format gives it: control bytes (< 0x20, 0x7F) print as `.`, as in the
// FS_READ preview, so that a name holding a line feed cannot split its
// line or forge console lines (`CMD_DONE`, `[AUDIT] …`). Printable text,
// UTF-8 included, is unchanged.
func oneLine(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7F })
	if i < 0 {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if b[i] < 0x20 || b[i] == 0x7F {
			b[i] = '.'
		}
	}
	return string(b)
}

// preview shows the first ≤ 64 bytes, printable ASCII kept, the rest '.'.
func preview(b []byte) string {
	b = b[:min(len(b), 64)]
	out := make([]byte, len(b))
	for i, ch := range b {
		if ch < 0x20 || ch > 0x7E {
			ch = '.'
		}
		out[i] = ch
	}
	return string(out)
}

func printEffect(c *Ctx, r agentsys.Result) {
	e := r.Effect
	switch r.Op {
	case frame.FsList:
		names := make([]string, len(e.Entries))
		for i, en := range e.Entries {
			names[i] = oneLine(en.Name)
			if en.Type == vfs.Dir {
				names[i] += "/"
			}
		}
		c.Println("[FS] Entries: " + strings.Join(names, ", "))
	case frame.FsRead:
		c.Printf("[FS] Read %d bytes", len(e.Data))
		c.Println("[FS] Preview: " + preview(e.Data))
	case frame.FsWrite:
		c.Printf("[FS] Wrote %d bytes to %s", e.Written, oneLine(e.Path))
	case frame.FsStat:
		c.Printf("[FS] Stat: %s - size=%d mode=%04o type=%s", oneLine(e.Path), e.Stat.Size, e.Stat.Mode, e.Stat.Type)
	case frame.FsCreate:
		kind := "file"
		if e.Dir {
			kind = "dir"
		}
		c.Printf("[FS] Created: %s (%s)", oneLine(e.Path), kind)
	case frame.FsDelete:
		c.Printf("[FS] Deleted: %s", oneLine(e.Path))
	case frame.AudioPlay:
		c.Printf("[Audio] Playing track %d -> %s", e.Track, e.Path)
	case frame.AudioStop:
		c.Lines("[AgentSys] AUDIO_STOP", "[AUDIO] Stopped")
	case frame.AudioVolume:
		c.Printf("[AgentSys] AUDIO_VOLUME: level=%d", e.Level)
		c.Println("[AUDIO] Volume set")
	case frame.DocNew:
		c.Printf("[AgentSys] DOC_NEW: name=%s ref=%d", oneLine(e.Name), e.Ref)
		c.Println("[DOC] Created")
	case frame.DocEdit:
		c.Printf("[AgentSys] DOC_EDIT: ref=%d ops=%d", e.Ref, e.Ops)
		c.Println("[DOC] Edited")
	case frame.DocSave:
		c.Printf("[AgentSys] DOC_SAVE: ref=%d", e.Ref)
		c.Println("[DOC] Saved")
	case frame.Screenshot:
		c.Printf("[Screenshot] Saved: %s (%d bytes)", e.Path, e.Size)
	case frame.AudioRecord:
		c.Printf("[Record] Started: %s (%dms)", e.Path, e.DurationMs)
	}
}

// testResult prints the result line of a test subcommand: PASSED when the
// call's outcome is the expected one.
func testResult(c *Ctx, got, want agentsys.Kind) {
	if got == want {
		c.Println("[AgentSys] Test PASSED")
	} else {
		c.Println("[AgentSys] Test FAILED: " + got.String())
	}
}

func runTestFsList(m *Machine, c *Ctx, _ []string) {
	c.Println("[AgentSys] Testing FS_LIST on /tmp/")
	r := call(m, c, frame.TestAgent, frame.FsList, frame.PathPayload("/tmp/"))
	testResult(c, r.Kind, agentsys.OK)
	c.Done()
}

func runTestAudioPlay(m *Machine, c *Ctx, _ []string) {
	c.Println("[AgentSys] Testing AUDIO_PLAY track=42")
	r := call(m, c, frame.TestAgent, frame.AudioPlay, []byte{0x2A, 0, 0, 0})
	testResult(c, r.Kind, agentsys.OK)
	c.Done()
}

func runTestInvalidOpcode(m *Machine, c *Ctx, _ []string) {
	c.Println("[AgentSys] Testing invalid opcode 0x3F")
	r := call(m, c, frame.TestAgent, 0x3F, nil)
	testResult(c, r.Kind, agentsys.Unsupported)
	c.Done()
}

func runTestDeny(m *Machine, c *Ctx, _ []string) {
	c.Println("[AgentSys] Testing capability deny: agent=4 FS_LIST /tmp/")
	r := call(m, c, 4, frame.FsList, frame.PathPayload("/tmp/"))
	testResult(c, r.Kind, agentsys.AuthFailed)
	c.Done()
}

func runTestScope(m *Machine, c *Ctx, _ []string) {
	c.Println("[AgentSys] Testing scope: agent=2 FS_LIST /tmp/")
	r1 := call(m, c, 2, frame.FsList, frame.PathPayload("/tmp/"))
	c.Println("[AgentSys] Testing scope: agent=2 FS_LIST /tmp/files/")
	r2 := call(m, c, 2, frame.FsList, frame.PathPayload("/tmp/files/"))
	switch {
	case r1.Kind != agentsys.AuthFailed:
		testResult(c, r1.Kind, agentsys.AuthFailed)
	default:
		testResult(c, r2.Kind, agentsys.OK)
	}
	c.Done()
}

// overheadTarget is the kernel's memory goal for AgentSys (100 KiB).
const overheadTarget = 102400

func runOverhead(m *Machine, c *Ctx, _ []string) {
	n := m.agents.sys.Overhead()
	c.Printf("[AgentSys] Memory overhead: %d bytes (target < %d)", n, overheadTarget)
	if n < overheadTarget {
		c.Println("[AgentSys] Test PASSED")
	} else {
		c.Println("[AgentSys] Test FAILED: overhead")
	}
	c.Done()
}

const callUsage = "Usage: agentsys call <agent_id> <opcode> [hex_payload]"

// parseCallArgs parses `<agent_id> <opcode> [<hex payload>]` (§4): agent
// decimal 0..65535, opcode `0x`-hex or decimal 0..255, payload an even
// number of hex digits with an optional `0x`.
func parseCallArgs(args []string) (agent uint16, op frame.Opcode, payload []byte, ok bool) {
	if len(args) < 2 || len(args) > 3 {
		return 0, 0, nil, false
	}
	a, err := strconv.ParseUint(args[0], 10, 16)
	if err != nil {
		return 0, 0, nil, false
	}
	var o uint64
	if s, isHex := strings.CutPrefix(strings.Replace(args[1], "0X", "0x", 1), "0x"); isHex {
		o, err = strconv.ParseUint(s, 16, 8)
	} else {
		o, err = strconv.ParseUint(args[1], 10, 8)
	}
	if err != nil {
		return 0, 0, nil, false
	}
	payload = []byte{}
	if len(args) == 3 {
		h := args[2]
		if len(h) >= 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X') {
			h = h[2:]
		}
		payload, err = hex.DecodeString(h)
		if err != nil {
			return 0, 0, nil, false
		}
	}
	return uint16(a), frame.Opcode(o), payload, true
}

func runCall(m *Machine, c *Ctx, args []string) {
	agent, op, payload, ok := parseCallArgs(args)
	if !ok {
		c.Println(callUsage)
		return
	}
	r := call(m, c, agent, op, payload)
	c.Println("[AgentSys] Call result: " + r.Kind.String())
	c.Done()
}

func runAudit(m *Machine, c *Ctx, args []string) {
	n := 10
	if len(args) > 1 {
		c.Println("Usage: agentsys audit [N]")
		return
	}
	if len(args) == 1 {
		v, err := strconv.ParseUint(args[0], 10, 32)
		if err != nil || v == 0 {
			c.Println("Usage: agentsys audit [N]")
			return
		}
		n = int(min(v, agentsys.RingSize))
	}
	sys := m.agents.sys
	c.Println("[AgentSys] Recent audit records:")
	c.Println("[AUDIT] Recent operations:")
	recs := sys.Audit(n)
	if len(recs) == 0 {
		c.Println("  (none)")
	}
	for _, r := range recs {
		c.Printf("  agent=%d op=0x%02X ts=%d allowed=%t", r.Agent, uint8(r.Op), r.TsUs, r.Allowed)
	}
	c.Printf("  ring=%d/%d total=%d", sys.AuditHeld(), agentsys.RingSize, sys.TotalOps())
	c.Done()
}

// protocolStatus prints §4.1.
func protocolStatus(m *Machine, c *Ctx) {
	sys := m.agents.sys
	agents := sys.Agents()
	c.Println("[AgentSys] Status:")
	c.Printf("  Registered agents: %d", len(agents))
	for _, a := range agents {
		en := "no"
		if a.Enabled {
			en = "yes"
		}
		c.Printf("    - %s (ID=%d, enabled=%s)", a.Name, a.ID, en)
	}
	c.Printf("  Total operations: %d", sys.TotalOps())
}

// --- supervision ----------------------------------------------------------

// agentID parses `<agent_id>` (decimal u32). It prints the usage line when
// missing and `Error: Invalid agent ID` when not a number.
func agentID(c *Ctx, sub string, args []string) (uint32, bool) {
	return parseAgentID(c, "Usage: agentsys "+sub+" <agent_id>", "Error: Invalid agent ID", args)
}

// parseAgentID parses `<agent_id>` (decimal u32), printing usage when it is
// missing and invalid when it is not a number; the screens differ in both.
func parseAgentID(c *Ctx, usage, invalid string, args []string) (uint32, bool) {
	if len(args) == 0 {
		c.Println(usage)
		return 0, false
	}
	v, err := strconv.ParseUint(args[0], 10, 32)
	if err != nil {
		c.Println(invalid)
		return 0, false
	}
	return uint32(v), true
}

var spawnUsage = []string{
	"Usage: agentsys spawn <agent_id> <name> <capabilities>",
	"Example: agentsys spawn 1000 test_agent FsBasic,NetClient",
	"",
	"Available capabilities:",
	"  FsBasic, AudioControl, DocBasic, Capture, Screenshot, Admin,",
	"  NetClient, NetServer",
}

func runSpawn(m *Machine, c *Ctx, args []string) {
	if len(args) < 3 || len(args) > 4 || (len(args) == 4 && args[3] != "--auto-restart") {
		c.Lines(spawnUsage...)
		return
	}
	id, ok := agentID(c, "spawn", args)
	if !ok {
		return
	}
	var caps frame.Caps
	for _, name := range strings.Split(args[2], ",") {
		cp, ok := frame.ParseCapability(name)
		if !ok {
			c.Printf("Error: Unknown capability '%s'", name)
			return
		}
		caps = caps.With(cp)
	}
	sup := m.agents.sys.ASM()
	if _, exists := sup.Agent(id); exists {
		c.Printf("Error: Agent %d already exists", id)
		return
	}
	pid, err := sup.Spawn(c.Now(), id, args[1], caps, len(args) == 4)
	if err != nil {
		c.Printf("Error: Agent %d already exists", id)
		return
	}
	c.Printf("[ASM] Spawning agent %d: %s", id, args[1])
	c.Printf("[ASM] Capabilities: %s", args[2])
	c.Printf("[ASM] Agent %d spawned (PID %d)", id, pid)
}

func runKill(m *Machine, c *Ctx, args []string) {
	id, ok := agentID(c, "kill", args)
	if !ok {
		return
	}
	ev, err := m.agents.sys.ASM().Kill(c.Now(), id)
	if err != nil {
		c.Printf("Error: Agent %d not found", id)
		return
	}
	printASMEvents(c, ev)
}

func runRestart(m *Machine, c *Ctx, args []string) {
	id, ok := agentID(c, "restart", args)
	if !ok {
		return
	}
	sup := m.agents.sys.ASM()
	a, found := sup.Agent(id)
	if !found {
		c.Printf("Error: Agent %d not found", id)
		return
	}
	c.Printf("Restarting agent %d (PID %d)...", id, a.PID)
	c.Println("Restart initiated (supervisor will respawn agent)")
	ev, _ := sup.Restart(c.Now(), id)
	printASMEvents(c, ev)
}

func runExit(m *Machine, c *Ctx, args []string) {
	if len(args) != 2 {
		c.Println("Usage: agentsys exit <agent_id> <exit_code>")
		return
	}
	id, ok := agentID(c, "exit", args)
	if !ok {
		return
	}
	code, err := strconv.ParseInt(args[1], 10, 32)
	if err != nil {
		c.Println("Error: Invalid exit code")
		return
	}
	ev, err := m.agents.sys.ASM().Exit(c.Now(), id, int32(code))
	if err != nil {
		c.Printf("Error: Agent %d not found", id)
		return
	}
	printASMEvents(c, ev)
}

func runPolicyUpdate(m *Machine, c *Ctx, args []string) {
	if len(args) < 2 {
		c.Lines("Usage: agentsys policy-update <agent_id> <capability>", "Example: agentsys policy-update 1000 FsBasic")
		return
	}
	id, ok := agentID(c, "policy-update", args)
	if !ok {
		return
	}
	sup := m.agents.sys.ASM()
	if _, found := sup.Agent(id); !found {
		c.Printf("Error: Agent %d not found", id)
		return
	}
	cp, ok := frame.ParseCapability(args[1])
	if !ok {
		c.Printf("Error: Unknown capability '%s'", args[1])
		return
	}
	c.Printf("Policy update for agent %d: adding capability '%s'", id, args[1])
	n, err := sup.PolicyUpdate(c.Now(), id, cp)
	if err != nil {
		c.Printf("Error: Agent %d already has capability '%s'", id, args[1])
		return
	}
	c.Printf("Policy updated (%d capabilities)", n)
}

func runProfileReset(m *Machine, c *Ctx, args []string) {
	sup := m.agents.sys.ASM()
	if len(args) == 0 {
		sup.ProfileResetAll()
		c.Println("Profile data reset for all agents")
		return
	}
	id, ok := agentID(c, "profile-reset", args)
	if !ok {
		return
	}
	if err := sup.ProfileReset(id); err != nil {
		c.Printf("Error: No profile data for agent %d", id)
		return
	}
	c.Printf("Profile data reset for agent %d", id)
}

func runDepend(m *Machine, c *Ctx, args []string) {
	if len(args) < 2 {
		c.Println("Usage: agentsys depend <agent_id> <dependency_id>")
		return
	}
	id, ok := agentID(c, "depend", args)
	if !ok {
		return
	}
	dep, ok := agentID(c, "depend", args[1:])
	if !ok {
		return
	}
	sup := m.agents.sys.ASM()
	for _, x := range []uint32{id, dep} {
		if _, found := sup.Agent(x); !found {
			c.Printf("Error: Agent %d not found", x)
			return
		}
	}
	if err := sup.AddDependency(id, dep); err != nil {
		c.Printf("Error: Dependency of agent %d on agent %d would form a cycle", id, dep)
		return
	}
	c.Printf("Dependency added: agent %d depends on agent %d", id, dep)
}

// label pads a label to the value column (col is 1-based, §6.4).
func label(l string, col int, v string) string {
	if len(l) < col-1 {
		l += strings.Repeat(" ", col-1-len(l))
	}
	return l + v
}

func u(v uint64) string { return strconv.FormatUint(v, 10) }

func limitStr(v uint64, unit string) string {
	if v == 0 {
		return "unlimited"
	}
	return u(v) + unit
}

func runMetrics(m *Machine, c *Ctx, args []string) {
	id, ok := agentID(c, "metrics", args)
	if !ok {
		return
	}
	mt, found := m.agents.sys.ASM().Metrics(id)
	if !found {
		c.Printf("Error: No metrics found for agent %d", id)
		return
	}
	c.Lines("", "Agent "+u(uint64(id))+" Metrics:", strings.Repeat("=", 17),
		label("  Spawn Count:", 22, u(mt.Spawns)),
		label("  Exit Count:", 22, u(mt.Exits)),
		label("  Fault Count:", 22, u(mt.Faults)),
		label("  CPU Time:", 22, u(mt.CPUTimeUs)+" us"),
		label("  Memory Usage:", 22, u(mt.MemoryBytes)+" bytes"),
		label("  Syscall Count:", 22, u(mt.Syscalls)),
		label("  Last Spawn:", 22, u(mt.LastSpawnUs)),
		label("  Last Exit:", 22, u(mt.LastExitUs)),
		label("  Last Exit Code:", 22, strconv.FormatInt(int64(mt.LastExitCode), 10)))
	if len(mt.RecentFaults) == 0 {
		c.Println(label("  Recent Faults:", 22, "None"))
	} else {
		c.Println("  Recent Faults:")
		for _, f := range mt.RecentFaults {
			c.Println("    - " + f.String())
		}
	}
	c.Println("")
}

func runResources(m *Machine, c *Ctx, args []string) {
	id, ok := agentID(c, "resources", args)
	if !ok {
		return
	}
	sup := m.agents.sys.ASM()
	r, found := sup.Resources(c.Now(), id)
	if !found {
		c.Printf("Error: No resource data for agent %d", id)
		return
	}
	lim := sup.Limits()
	status := "Normal"
	if r.Throttled {
		status = "Throttled"
	}
	c.Lines("", "Agent "+u(uint64(id))+" Resource Usage:", strings.Repeat("=", 26),
		label("  CPU Time:", 22, u(r.CPUTimeUs)+" us (quota: "+limitStr(lim.CPUQuotaUs, " us")+")"),
		label("  Memory:", 22, u(r.MemoryBytes)+" bytes (limit: "+limitStr(lim.MemoryBytes, " bytes")+")"),
		label("  Syscalls (total):", 22, u(r.Syscalls)),
		label("  Syscall Rate:", 22, u(r.Rate)+" /sec (limit: "+limitStr(lim.SyscallRate, " /sec")+")"),
		"", "  Status: "+status, "")
}

func pct(n, d uint64) string {
	if d == 0 {
		return "N/A"
	}
	return u(n*100/d) + "%"
}

func runProfile(m *Machine, c *Ctx, args []string) {
	id, ok := agentID(c, "profile", args)
	if !ok {
		return
	}
	p, found := m.agents.sys.ASM().Profile(id)
	if !found {
		c.Printf("Error: No profile data for agent %d", id)
		return
	}
	if p.Total == 0 {
		c.Printf("No profile data for agent %d", id)
		return
	}
	c.Lines("", "Agent "+u(uint64(id))+" - Performance Profile", strings.Repeat("=", 38),
		label("  Total Operations:", 26, u(p.Total)),
		label("  Successful:", 26, u(p.OK)),
		label("  Failed:", 26, u(p.Failed)),
		label("  Success Rate:", 26, pct(p.OK, p.Total)),
		label("  Avg Latency:", 26, u(p.SumLatencyUs/p.Total)+" us"),
		label("  Peak Latency:", 26, u(p.PeakLatencyUs)+" us"),
		"")
}

var riskText = [...]string{"Minimal (low risk)", "Limited (moderate risk)", "High (requires oversight)", "Unacceptable (PROHIBITED)"}

func runRisk(m *Machine, c *Ctx, args []string) {
	id, ok := agentID(c, "risk", args)
	if !ok {
		return
	}
	r, found := m.agents.sys.ASM().Record(id)
	if !found {
		c.Printf("Error: No compliance data for agent %d", id)
		return
	}
	c.Lines("", "Agent "+u(uint64(id))+" - EU AI Act Risk Classification", strings.Repeat("=", 42),
		label("  Risk Level:", 26, riskText[r.Risk&3]),
		label("  Compliance Score:", 26, strconv.Itoa(r.Score())+"%"),
		label("  Total Operations:", 26, u(r.Ops)),
		label("  Human Reviews:", 26, u(r.Reviews)),
		"")
}

func runLimits(m *Machine, c *Ctx, args []string) {
	id, ok := agentID(c, "limits", args)
	if !ok {
		return
	}
	lim := m.agents.sys.ASM().Limits()
	c.Lines("", "Agent "+u(uint64(id))+" - Resource Limits", strings.Repeat("=", 26),
		label("  CPU Quota:", 22, limitStr(lim.CPUQuotaUs, " us/sec")),
		label("  Memory Limit:", 22, limitStr(lim.MemoryBytes, " bytes")),
		label("  Syscall Rate:", 22, limitStr(lim.SyscallRate, " /sec")),
		label("  Watchdog Timeout:", 22, limitStr(lim.WatchdogUs, " us")),
		"")
}

func runDeps(m *Machine, c *Ctx, args []string) {
	id, ok := agentID(c, "deps", args)
	if !ok {
		return
	}
	on, by := m.agents.sys.ASM().Deps(id)
	c.Lines("", "Agent "+u(uint64(id))+" - Dependencies", strings.Repeat("=", 26))
	for _, g := range []struct {
		l   string
		ids []uint32
	}{{"  Depends On:", on}, {"  Depended On By:", by}} {
		if len(g.ids) == 0 {
			c.Println(label(g.l, 22, "(none)"))
			continue
		}
		c.Println(g.l)
		for _, d := range g.ids {
			c.Printf("    - Agent %d", d)
		}
	}
	c.Println("")
}

func depgraphScreen(m *Machine) []string {
	sup := m.agents.sys.ASM()
	out := []string{"", "Agent Dependency Graph", strings.Repeat("=", 22), ""}
	agents := sup.Agents()
	if len(agents) == 0 {
		return append(out, "No active agents", "")
	}
	for _, a := range agents {
		on, _ := sup.Deps(a.ID)
		if len(on) == 0 {
			out = append(out, "Agent "+u(uint64(a.ID))+" (no dependencies)")
			continue
		}
		ids := make([]string, len(on))
		for i, d := range on {
			ids[i] = u(uint64(d))
		}
		out = append(out, "Agent "+u(uint64(a.ID))+" depends on: ["+strings.Join(ids, ", ")+"]")
	}
	return append(out, "")
}

// runInfo is `asminfo <id>` / `agentsys info <id>`.
func runInfo(m *Machine, c *Ctx, name string, args []string) {
	id, ok := parseAgentID(c, "Usage: "+name+" <agent_id>", "Invalid agent ID", args)
	if !ok {
		return
	}
	c.Lines("", "=== Agent Information ===", "")
	a, found := m.agents.sys.ASM().Agent(id)
	if !found {
		c.Lines("Agent not found", "")
		return
	}
	active, auto := "No", "Disabled"
	if a.Active {
		active = "Yes"
	}
	if a.AutoRestart {
		auto = "Enabled"
	}
	c.Lines(label("Agent ID:", 18, u(uint64(id))),
		label("PID:", 18, u(uint64(a.PID))),
		label("Name:", 18, a.Name),
		label("Active:", 18, active),
		label("Auto-restart:", 18, auto),
		label("Restart count:", 18, u(uint64(a.RestartCount))+"/"+u(uint64(a.MaxRestarts))),
		label("Uptime:", 18, u((c.Now()-a.SpawnTime).Us())+" us"),
		label("Capabilities:", 18, strconv.Itoa(a.Caps.Count())+" total"),
		"")
}

// runPolicy is `asmpolicy <id>` / `agentsys policy <id>`.
func runPolicy(m *Machine, c *Ctx, name string, args []string) {
	id, ok := parseAgentID(c, "Usage: "+name+" <agent_id>", "Invalid agent ID", args)
	if !ok {
		return
	}
	c.Lines("", "=== Agent Policy ===", "")
	p, found := m.agents.sys.ASM().Policy(id)
	if !found {
		c.Printf("No policy found for agent %d", id)
		c.Println("")
		return
	}
	auto := "Disabled"
	if p.AutoRestart {
		auto = "Enabled"
	}
	c.Lines(label("Agent ID:", 18, u(uint64(id))),
		label("Capabilities:", 18, strconv.Itoa(p.Caps.Count())),
		label("Auto-restart:", 18, auto),
		label("Max restarts:", 18, u(uint64(p.MaxRestarts))),
		label("Violations:", 18, u(uint64(p.Violations))),
		label("Policy changes:", 18, u(uint64(p.PolicyChanges))),
		"")
}

// --- screens (§6) ---------------------------------------------------------

var asmSubsystems = [...]string{"Agent Supervisor", "Telemetry Aggregator", "Fault Detector", "Policy Controller",
	"Compliance Tracker", "Resource Monitor", "Dependency Graph", "System Profiler"}

func pad(s string, w int) string {
	if len(s) >= w {
		return s
	}
	return s + strings.Repeat(" ", w-len(s))
}

func asmStatusScreen(m *Machine) []string {
	t := m.agents.sys.ASM().Telemetry()
	out := []string{"", "Agent Supervision Module Status", strings.Repeat("=", 32), "", "Subsystems:"}
	for _, n := range asmSubsystems {
		// Every subsystem is built by asm.New; a machine without one would
		// show ✗ / (NOT initialized) and a Degraded health line.
		out = append(out, "  \u2713 "+pad(n, 22)+"(initialized)")
	}
	return append(out, "", "Quick Stats:",
		label("  Active Agents:", 22, u(t.Active)),
		label("  Total Spawns:", 22, u(t.Spawns)),
		label("  Total Exits:", 22, u(t.Exits)),
		label("  Total Faults:", 22, u(t.Faults)),
		"", "System Health: Healthy", "")
}

func telemetryScreen(m *Machine) []string {
	sup := m.agents.sys.ASM()
	t := sup.Telemetry()
	out := []string{"", "=== Agent Supervision Module Status ===", "", "System Metrics:",
		label("  Total Spawns:", 20, u(t.Spawns)),
		label("  Total Exits:", 20, u(t.Exits)),
		label("  Total Faults:", 20, u(t.Faults)),
		label("  Total Restarts:", 20, u(t.Restarts)),
		label("  Active Agents:", 20, u(t.Active)),
		label("  Total Syscalls:", 20, u(t.Syscalls)),
		""}
	ids := sup.MetricIDs()
	if len(ids) == 0 {
		return append(out, "No active agents", "")
	}
	out = append(out, "Per-Agent Metrics:", "  ID    Spawns Exits  Faults", "  ----  ------ -----  ------")
	for _, id := range ids {
		mt, _ := sup.Metrics(id)
		out = append(out, "  "+lpad(u(uint64(id)), 4)+"  "+lpad(u(mt.Spawns), 6)+" "+lpad(u(mt.Exits), 5)+"  "+lpad(u(mt.Faults), 6))
	}
	return append(out, "")
}

func lpad(s string, w int) string {
	if len(s) >= w {
		return s
	}
	return strings.Repeat(" ", w-len(s)) + s
}

func listScreen(m *Machine) []string {
	out := []string{"", "=== Active Agents ===", ""}
	agents := m.agents.sys.ASM().Agents()
	if len(agents) == 0 {
		return append(out, "No active agents", "")
	}
	out = append(out, "ID    PID   Name                 Restart Count", "----  ----  ------------------   -------------")
	for _, a := range agents {
		name := a.Name
		if len(name) > 18 {
			name = name[:18]
		}
		out = append(out, lpad(u(uint64(a.ID)), 4)+"  "+lpad(u(uint64(a.PID)), 4)+"  "+pad(name, 20)+u(uint64(a.RestartCount))+"/"+u(uint64(a.MaxRestarts)))
	}
	return append(out, "")
}

func complianceScreen(m *Machine) []string {
	sup := m.agents.sys.ASM()
	cs := sup.Compliance()
	out := []string{"", "EU AI Act Compliance Report", strings.Repeat("=", 27), "",
		label("Timestamp:", 21, u(m.Now().Us())),
		label("Total Agents:", 21, strconv.Itoa(cs.TotalAgents)),
		label("Total Events:", 21, strconv.Itoa(cs.TotalEvents)),
		label("Policy Violations:", 21, strconv.Itoa(cs.PolicyViolations)),
		label("System Compliance:", 21, strconv.Itoa(cs.SystemScore)+"%"),
		"", "Risk Level Distribution:",
		label("  Minimal:", 21, strconv.Itoa(cs.ByRisk[asm.Minimal])),
		label("  Limited:", 21, strconv.Itoa(cs.ByRisk[asm.Limited])),
		label("  High:", 21, strconv.Itoa(cs.ByRisk[asm.High])),
		label("  Unacceptable:", 21, strconv.Itoa(cs.ByRisk[asm.Unacceptable])),
		"", "Agent Compliance Details:", strings.Repeat("-", 25)}
	for _, id := range sup.RecordIDs() {
		r, _ := sup.Record(id)
		out = append(out, "", "Agent ID: "+u(uint64(id)),
			label("  Risk Level:", 21, r.Risk.String()),
			label("  Events Logged:", 21, u(r.Events)),
			label("  Violations:", 21, u(r.Violations)),
			label("  Human Oversight:", 21, u(r.Reviews)),
			label("  Compliance Score:", 21, strconv.Itoa(r.Score())+"%"),
			label("  Status:", 21, asm.Status(r.Score())))
	}
	return append(out, "", "Compliance Requirements (EU AI Act):",
		"- Transparency: All operations logged",
		"- Risk Assessment: Agents classified by risk level",
		"- Human Oversight: Available via compliance events",
		"- Audit Trail: Complete event history maintained",
		"- Robustness: Fault detection and recovery active")
}

func gwstatusScreen(m *Machine) []string {
	sup := m.agents.sys.ASM()
	g := sup.Gateway().Stats()
	out := []string{"", "=== Cloud Gateway Status ===", "", "Request Statistics:",
		label("  Total Requests:", 22, u(g.Total)),
		label("  Successful:", 22, u(g.Successful)),
		label("  Failed:", 22, u(g.Failed)),
		label("  Rate Limited:", 22, u(g.RateLimited)),
		label("  Fallback Used:", 22, u(g.Fallback)),
		"", "Provider Statistics:",
		"  Provider    Success  Failures  Health",
		"  ----------  -------  --------  --------"}
	for _, p := range asm.AllProviders() {
		ps := g.Providers[p]
		out = append(out, pad("  "+p.String(), 14)+lpad(u(ps.Successes), 7)+"  "+lpad(u(ps.Failures), 8)+"  "+u(ps.HealthPct())+"%")
	}
	return append(out, "", "Performance:",
		label("  Total Tokens:", 23, u(g.Tokens)),
		label("  Avg Response Time:", 23, u(g.AvgResponseUs())+" us"),
		"", "Active Agents: "+u(sup.Telemetry().Active))
}

func dumpScreen(m *Machine) []string {
	out := []string{"", "========== ASM Debug Dump ==========", ""}
	out = append(out, telemetryScreen(m)...)
	out = append(out, "", "--- Active Agents ---")
	out = append(out, listScreen(m)...)
	out = append(out, "", "--- Compliance Report ---")
	out = append(out, complianceScreen(m)...)
	out = append(out, "", "--- Cloud Gateway ---")
	out = append(out, gwstatusScreen(m)...)
	return append(out, "", "========== End of Dump ==========", "")
}
