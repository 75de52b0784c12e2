// Package dataflow is sisemu's reference model of the SIS kernel's
// AI-native dataflow graph (contract: dataflow.md): bounded channels of
// tensor items, prioritised operators, the step rule that picks and runs
// one operator, the V0 binary control frame that builds graphs, and the
// control tokens.
//
// Where the kernel's operators are placeholders, this graph really
// executes: sources create items, transforms move them through an optional
// tensor function, sinks consume them, and a producer whose output channel
// is full is simply not runnable (backpressure; nothing is ever dropped).
//
// # Contract
//
// A Graph is a plain state machine. Inputs: AddChannel, AddOperator, and
// Step/Run with the current virtual time (clock.Ticks) and a modelled cost.
// Outputs: returned values only — a StepResult tells which operator ran
// and which channel depths changed since last traced, so the caller (emu)
// can print the kernel's [TRACE] lines; Status returns a copy of every
// counter. The graph keeps no clock: the caller advances its own by
// StepResult.Cost. Nothing here prints, starts goroutines or reads the
// host clock.
//
// Rules, in brief (dataflow.md §5):
//   - runnable: input absent or non-empty, output absent or not full; an
//     index at or beyond the channel count is never ready;
//   - selection: highest priority, ties to the later-added operator;
//   - one step: depth traces for the in then the out channel, then the run;
//   - invariant: Produced = Consumed + Failed + InFlight.
//
// Frames: Decode runs the validation checks 1–7 of §4.2 without
// allocating; Frame.Authorize is check 8; the graph slot (check 9) belongs
// to the owner of the graph, the emulated machine.
//
// Test authors build graphs with New/AddChannel/AddOperator or Pipeline,
// bind tensor operations with TensorFunc, Map and SourceFunc, and read
// what reached a collecting sink with SinkItems (see docs/dataflow.md).
package dataflow
