package emu

func init() {
	register(Command{
		Name:    "metricsctl",
		Summary: "Switch METRIC output on or off",
		Usage:   []string{"Usage: metricsctl <on|off|status>"},
		Run:     runMetricsctl,
	})
}

// runMetricsctl flips the global metric switch (console.md §6).
func runMetricsctl(m *Machine, c *Ctx) {
	if len(c.Args) == 0 {
		c.Usage()
		return
	}
	switch c.Args[0] {
	case "on":
		m.SetMetrics(true)
		c.Println("[METRICSCTL] capture enabled")
	case "off":
		m.SetMetrics(false)
		c.Println("[METRICSCTL] capture disabled")
	case "status":
		if m.MetricsOn() {
			c.Println("[METRICSCTL] capture: ON")
		} else {
			c.Println("[METRICSCTL] capture: OFF")
		}
	default:
		c.Usage()
	}
}
