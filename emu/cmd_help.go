package emu

func init() {
	register(Command{
		Name:    "help",
		Summary: "List commands, or show one command's usage",
		Usage:   []string{"Usage: help [command]"},
		Run:     runHelp,
	})
}

// runHelp prints the reference help screen (console.md §4.6). Neither form
// prints CMD_DONE.
func runHelp(m *Machine, c *Ctx) {
	if len(c.Args) == 0 {
		c.Println("Available commands:")
		for _, cmd := range Commands() {
			c.Printf("  %s - %s", cmd.Name, cmd.Summary)
		}
		return
	}
	cmd, ok := commands[c.Args[0]]
	if !ok {
		c.Printf("Unknown command: %s", c.Args[0])
		c.Println("Type 'help' for available commands")
		return
	}
	c.Lines(cmd.Usage...)
}
