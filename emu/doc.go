// Package emu is the sisemu machine: every subsystem of the SIS kernel's AI
// stack (dataflow graph, schedulers, LLM governance, agentsys) wired to one
// virtual 62.5 MHz clock and one seeded random source, behind the kernel's
// shell commands.
//
// A Machine is the single in-process entry point. Build one with New, feed it
// command lines with Exec, and read back exactly what the kernel's serial
// console would print for them, the METRIC lines parsed, and the virtual time
// the command took. The console (emu/console), the phase runner (emu/phases),
// the CLI and the web API all drive a Machine through Exec.
//
// # Determinism
//
// A Machine reads no wall clock, starts no goroutine and iterates no map into
// its output: the same seed and the same lines give byte-identical output on
// every host. Time passes only through modelled costs: every non-empty line
// costs LineCost ticks after it runs, and commands that model longer work
// advance the clock while they run (Ctx.Advance), firing due timer events in
// time order.
//
// # Commands
//
// Each command family lives in one file, cmd_<name>.go, and registers itself
// from init with register: name, one-line summary, usage lines and a run
// function. The run function parses its arguments, calls the subsystem's typed
// API, and writes the kernel's lines through its Ctx. It prints a success line
// only after the effect happened. A Machine is not safe for concurrent use.
package emu
