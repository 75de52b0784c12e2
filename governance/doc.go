// Package governance is sisemu's LLM governance core: the state behind the
// SIS kernel's llmctl, llminfer, llmstream and llmjson commands
// (governance.md §0–§2, §3.2).
//
// A Governor holds the LLM's timing parameters (WCET 25,000 cycles, pace
// 100 %), the token budget and its window, the infer ids (from 1; every
// call takes one, rejected calls included), the numeric current model of
// `llmctl load` path B, the 4-slot security store of path A, the 32-entry
// audit ring and 32-entry inference table, the LLM scheduler (package
// sched) from the first budget on, and a registry of up to 64 named models
// with states active, shadow, rollback, registered, failed and retired.
//
// # Contract
//
//   - Load: size > 128 MiB is refused by policy (no ring entry, no WCET
//     change); exactly 128 MiB passes the policy and fails the 64 MiB
//     metadata limit (Q3). Path A verifies SHA-256 of size bytes of
//     (model & 0xFF); path B applies the WCET and validates ctx 1–8192,
//     vocab 1,000–500,000, size ≤ 64 MiB; C and D apply the WCET.
//   - Budget: quota windows on the virtual clock; a request is rejected iff
//     issued + requested > limit; only emitted tokens count; a rejection
//     takes an id and is audited as op 3 status 2 (and reported, Q4).
//   - Admission: each budget is admitted by the LLM scheduler with the
//     kernel's accounting (ppm and accepted first, then the 4 slots).
//   - Registry: swap validates before it commits and is all-or-nothing;
//     swap and rollback report their modelled (virtual-time) downtime.
//
// The package prints nothing and reads no clock: every method takes the
// virtual time, returns typed results, and queues one audit.Event per
// decision for the caller to make durable (Drain). Console text lives in
// package emu.
package governance
