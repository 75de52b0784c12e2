package emu

func init() {
	register(Command{
		Name:    "schedctl",
		Summary: "Predictive scheduling: workload class, priority adjustments, affinity, shadow mode, feature flags",
		Usage:   []string{schedctlUsage},
		Run:     runSchedctl,
	})
}

const (
	schedctlUsage        = "Usage: schedctl <workload|priorities|affinity|shadow|feature|transformer> ..."
	schedctlShadowUsage  = "Usage: schedctl shadow <on|off|compare> [version]"
	schedctlFeatureUsage = "Usage: schedctl feature <enable|disable|list> [NAME]"
	schedctlTransUsage   = "Usage: schedctl transformer <on|off|stats|reset>"
)

// predFeatures are the predictive scheduler's feature flags in the order
// `schedctl feature list` prints them, with the names their toggles print.
var predFeatures = [...]struct{ name, label string }{
	{"autonomous-scheduling", "Autonomous scheduling"},
	{"workload-classification", "Workload classification"},
	{"affinity-learning", "Affinity learning"},
	{"shadow-mode", "Shadow mode"},
}

// predOperator is one operator registered with the predictive scheduler.
type predOperator struct {
	id       uint32
	priority int32
	misses   uint64
}

// predState is the predictive scheduler of schedctl (sched.md §1.7). It is
// independent of CBS/EDF; nothing in the console path feeds it yet, so its
// counters stay at their boot values until a Go caller does.
type predState struct {
	class, policy   string
	quantumUs       uint64
	classifications uint64

	adjustments, prevented, unnecessary uint64
	operators                           []predOperator

	shadowOn      bool
	shadowVersion uint64
	comparisons   uint64
	disagreements uint64
	primaryBetter uint64
	shadowBetter  uint64

	features [len(predFeatures)]bool

	transformerOn bool
}

func newPredState() predState {
	return predState{class: "Mixed", policy: "Adaptive", quantumUs: 100}
}

func onOff(b bool, on, off string) string {
	if b {
		return on
	}
	return off
}

// runSchedctl is the schedctl command (sched.md §1.7).
func runSchedctl(m *Machine, c *Ctx) {
	p := &m.sched.pred
	if len(c.Args) == 0 {
		c.Println(schedctlUsage)
		return
	}
	args := c.Args[1:]
	switch c.Args[0] {
	case "workload":
		c.Printf("[PRED_SCHED] Current Workload Class: %s", p.class)
		c.Printf("  Scheduling Policy: %s", p.policy)
		c.Printf("  Quantum: %d us", p.quantumUs)
		c.Printf("  Total Classifications: %d", p.classifications)
	case "priorities":
		c.Println("[PRED_SCHED] Priority Adjustments:")
		c.Printf("  Total: %d", p.adjustments)
		c.Printf("  Misses Prevented: %d", p.prevented)
		c.Printf("  Unnecessary: %d", p.unnecessary)
		c.Println("")
		c.Printf("Registered Operators: %d", len(p.operators))
		for i, op := range p.operators {
			if i == 10 {
				break
			}
			c.Printf("  [%d] ID=%d Priority=%d Misses=%d", i, op.id, op.priority, op.misses)
		}
	case "affinity":
		c.Println("[PRED_SCHED] Operator Affinity Groups (>70%):")
		c.Println("  No high-affinity groups found")
	case "shadow":
		runSchedctlShadow(p, c, args)
	case "feature":
		runSchedctlFeature(p, c, args)
	case "transformer":
		if len(args) == 0 {
			c.Println(schedctlTransUsage)
			return
		}
		switch args[0] {
		case "on":
			p.transformerOn = true
			c.Println("Transformer scheduler: ENABLED")
		case "off":
			p.transformerOn = false
			c.Println("Transformer scheduler: DISABLED")
		case "reset":
			c.Println("Transformer scheduler: RESET")
		default:
			c.Println(schedctlTransUsage)
		}
	default:
		c.Println(schedctlUsage)
	}
}

func runSchedctlShadow(p *predState, c *Ctx, args []string) {
	if len(args) == 0 {
		c.Println(schedctlShadowUsage)
		return
	}
	switch args[0] {
	case "on":
		v := uint64(1)
		if len(args) > 1 {
			x, ok := parseU64(args[1])
			if !ok {
				c.Println(schedctlShadowUsage)
				return
			}
			v = x
		}
		p.shadowOn, p.shadowVersion = true, v
		c.Printf("[PRED_SCHED] Shadow mode ENABLED (version %d)", v)
	case "off":
		p.shadowOn = false
		c.Println("[PRED_SCHED] Shadow mode DISABLED")
	case "compare":
		c.Println("[PRED_SCHED] Shadow Mode Comparison:")
		c.Printf("  Enabled: %s", onOff(p.shadowOn, "YES", "NO"))
		c.Printf("  Comparisons: %d", p.comparisons)
		c.Printf("  Disagreements: %d", p.disagreements)
		c.Printf("  Primary Better: %d", p.primaryBetter)
		c.Printf("  Shadow Better: %d", p.shadowBetter)
	default:
		c.Println(schedctlShadowUsage)
	}
}

func runSchedctlFeature(p *predState, c *Ctx, args []string) {
	if len(args) == 0 {
		c.Println(schedctlFeatureUsage)
		return
	}
	switch args[0] {
	case "list":
		c.Println("[PRED_SCHED] Feature Flags:")
		for i, f := range predFeatures {
			c.Printf("  %s: %s", f.name, onOff(p.features[i], "ENABLED", "DISABLED"))
		}
	case "enable", "disable":
		if len(args) < 2 {
			c.Println(schedctlFeatureUsage)
			return
		}
		on := args[0] == "enable"
		for i, f := range predFeatures {
			if f.name == args[1] {
				p.features[i] = on
				c.Printf("[PRED_SCHED] %s %s", f.label, onOff(on, "ENABLED", "DISABLED"))
				return
			}
		}
		c.Println("Unknown feature")
	default:
		c.Println(schedctlFeatureUsage)
	}
}
