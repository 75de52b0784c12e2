// Package sched is sisemu's deterministic scheduling core: admission control
// in parts per million, jitter statistics, CBS servers under EDF dispatch and
// the LLM scheduler that governance charges. Everything runs on ticks passed
// in by the caller (see sched/clock); nothing here reads a clock, starts a
// goroutine or prints.
//
// # The graph scheduler (sched.md §2, §4.2)
//
// A Scheduler holds up to Options.Slots CBS servers. Server i has a runtime
// budget Q, a relative deadline D (D = P when 0) and a period P; it is
// admitted at time a, and its job k is released at a + k·P with deadline
// release + D and a demand of Q ns unless SetDemand or AdmitWithDemands say
// otherwise.
//
// Time is cut into slices of L ns (default 1 ms). Each slice is given to
// the eligible server (a pending job, runtime > 0, not throttled) with the
// earliest scheduling deadline d, ties to the lower id, and the server uses
// min(L, remaining demand) of it. The CBS follows SCHED_DEADLINE: a job
// released into an idle server keeps (d, runtime), or refills them, by the
// wake-up rule; running consumes runtime; at runtime ≤ 0 the server is
// throttled until d − D + P, where {d += P; runtime += Q} repeats while
// runtime ≤ 0. A job that runs past Q is an overrun; a job unfinished at
// its deadline is a miss, counted once. Completed and missed jobs enter a
// trace ring of JobRecords.
//
// # The caller's duties
//
//  1. Build with New and admit servers with Admit (the order of the checks
//     is slots, parameters, utilisation; a rejection charges nothing).
//  2. For each slice that runs, call Dispatch at its start; it returns the
//     server to run and the ns it uses. Slices need not be back to back:
//     between them, call Advance whenever time passes (releases, deadline
//     misses and replenishments are accounted whether or not slices run).
//     NextDue tells when the next event falls due.
//  3. Read Status, Trace and, with Options.RecordEvents, DrainEvents.
//
// Time never goes back: a call with an earlier time than one already seen
// processes nothing. Every method is O(log n) in the number of servers per
// event (two 4-ary heaps: timers by next event, ready servers by deadline).
package sched
