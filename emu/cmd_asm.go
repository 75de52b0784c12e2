package emu

func init() {
	register(Command{
		Name:    "gwstatus",
		Summary: "Cloud gateway status",
		Usage:   []string{"Usage: gwstatus"},
		Run:     func(m *Machine, c *Ctx) { c.Lines(gwstatusScreen(m)...) },
	})
	register(Command{
		Name:    "asmstatus",
		Summary: "Agent Supervision Module telemetry",
		Usage:   []string{"Usage: asmstatus"},
		Run:     func(m *Machine, c *Ctx) { c.Lines(telemetryScreen(m)...) },
	})
	register(Command{
		Name:    "asmlist",
		Summary: "List supervised agents",
		Usage:   []string{"Usage: asmlist"},
		Run:     func(m *Machine, c *Ctx) { c.Lines(listScreen(m)...) },
	})
	register(Command{
		Name:    "asminfo",
		Summary: "Show a supervised agent",
		Usage:   []string{"Usage: asminfo <agent_id>"},
		Run:     func(m *Machine, c *Ctx) { runInfo(m, c, "asminfo", c.Args) },
	})
	register(Command{
		Name:    "asmpolicy",
		Summary: "Show a supervised agent's policy",
		Usage:   []string{"Usage: asmpolicy <agent_id>"},
		Run:     func(m *Machine, c *Ctx) { runPolicy(m, c, "asmpolicy", c.Args) },
	})
}
