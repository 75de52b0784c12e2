package emu

import (
	"fmt"
	"sort"
)

// Command is one shell command: its name as typed, a one-line summary for
// help, the usage lines `help <name>` prints, and the function that runs it.
type Command struct {
	Name    string
	Summary string
	Usage   []string
	Run     func(m *Machine, c *Ctx)
}

// commands is the static command table, filled by init functions of the
// cmd_*.go files before main runs and never changed afterwards.
var commands = map[string]*Command{}

// register adds a command to the table; a duplicate name is a programming
// error caught at start-up.
func register(c Command) {
	if c.Name == "" || c.Run == nil {
		panic("emu: register: command needs a name and a Run function")
	}
	if _, dup := commands[c.Name]; dup {
		panic(fmt.Sprintf("emu: register: duplicate command %q", c.Name))
	}
	cc := c
	commands[c.Name] = &cc
}

// Commands returns the registered commands sorted by name.
func Commands() []Command {
	out := make([]Command, 0, len(commands))
	for _, c := range commands {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// MaxTokens is how many tokens of a line the shell keeps (console.md §4:
// beyond 64 the kernel is undefined; the reference keeps the first 64).
const MaxTokens = 64

// Tokenize splits a line on runs of spaces, as the kernel's shell does: no
// quoting, no escapes, leading and trailing spaces ignored, at most MaxTokens
// tokens.
func Tokenize(line string) []string {
	var toks []string
	i := 0
	for i < len(line) && len(toks) < MaxTokens {
		for i < len(line) && line[i] == ' ' {
			i++
		}
		if i >= len(line) {
			break
		}
		j := i
		for j < len(line) && line[j] != ' ' {
			j++
		}
		toks = append(toks, line[i:j])
		i = j
	}
	return toks
}
