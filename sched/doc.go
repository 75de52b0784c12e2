// Package sched is sisemu's deterministic scheduling core: admission control
// in parts per million, jitter statistics, CBS servers under EDF dispatch and
// the LLM scheduler that governance charges. Everything runs on ticks passed
// in by the caller (see sched/clock); nothing here reads a clock, starts a
// goroutine or prints.
package sched
