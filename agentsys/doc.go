// Package agentsys is sisemu's reference of the SIS kernel's AgentSys
// protocol (agentsys.md §2–§4): capability-checked calls from agents to a
// file system, an audio player, a document store and capture devices, with
// every call audited once.
//
// # Contract
//
// A call is HandleFrame(now, opcode, token, payload). The agent id is bits
// 48–63 of the token. The call is processed in this order, and the first
// failing step decides the outcome:
//
//  1. opcode outside 0x30–0x3D → Unsupported (even for unknown agents);
//  2. payload decoding (package frame) → BadFrame, with a reason;
//  3. a supervised agent (package asm) that is throttled → AuthFailed
//     "Rate limit exceeded";
//  4. the policy check (Check): table membership, enabled, capability,
//     scope of the cleaned absolute path, size → AuthFailed, with a reason;
//  5. the effect on the in-memory VFS (package vfs), player or documents →
//     IoError, with the failing stage;
//  6. exactly one audit Record {agent, opcode, µs, allowed} in the 200-entry
//     ring, and the counters.
//
// A denied or malformed call changes nothing but the audit ring, the
// counters and the supervisor's bookkeeping. An IoError keeps what the
// stages before the failing one did, as a real file system would (FS_WRITE
// creates the file before a write that then fails).
//
// A call by an agent id that ASM supervises also touches that agent (last
// activity, syscalls, a profiler sample); a policy denial of such a call is
// a violation whose fault action is Kill. Results are returned, never
// printed: package emu turns a Result into the kernel's console lines.
//
// # Caller's duties
//
// Pass the virtual time of each call; run ASM().HealthCheck whenever
// ASM().NextCheck falls due and print its events. System is not safe for
// concurrent use.
package agentsys
