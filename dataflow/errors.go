package dataflow

import "errors"

// Sentinel errors. The emu glue maps each to the kernel's error line; a Go
// caller tests them with errors.Is.
var (
	// ErrNoGraph: an operation needs a graph and the slot is empty
	// (dataflow.md §7 row 3; also frame check 9).
	ErrNoGraph = errors.New("dataflow: no graph")
	// ErrChannelLimit: the graph already has its maximum number of channels
	// (16 in the kernel; §7 row 9).
	ErrChannelLimit = errors.New("dataflow: channel limit reached")
	// ErrOperatorLimit: the graph already has its maximum number of
	// operators (32 in the kernel; §7 row 10).
	ErrOperatorLimit = errors.New("dataflow: operator limit reached")
	// ErrSchemaMismatch: typed admission rejected the operator (§3.3, §7
	// row 11). The error is a *SchemaError carrying the detail.
	ErrSchemaMismatch = errors.New("dataflow: schema mismatch")
	// ErrCapacity: a channel capacity outside 1..65535.
	ErrCapacity = errors.New("dataflow: capacity must be 1..65535")
	// ErrOptions: invalid Options passed to New.
	ErrOptions = errors.New("dataflow: invalid options")
	// ErrNoOperator: an operator index that does not exist.
	ErrNoOperator = errors.New("dataflow: no such operator")
)

// SchemaError is the detail of a typed admission rejection. It matches
// ErrSchemaMismatch under errors.Is.
type SchemaError struct {
	// Out reports that the out-channel check rejected (else the in check).
	Out bool
	// OutOfRange reports a channel index at or beyond the channel count;
	// otherwise the channel's bound schema differs from the operator's.
	OutOfRange bool
	// Channel is the channel index that was checked.
	Channel uint16
	// Mismatches is the graph's schema mismatch counter after this
	// rejection (only counted for a real mismatch, not out of range).
	Mismatches uint64
}

// Error describes which check rejected the operator.
func (e *SchemaError) Error() string {
	dir := "in"
	if e.Out {
		dir = "out"
	}
	if e.OutOfRange {
		return "dataflow: schema mismatch: " + dir + " channel out of range"
	}
	return "dataflow: schema mismatch: " + dir + " channel bound to another schema"
}

// Is makes errors.Is(err, ErrSchemaMismatch) hold.
func (e *SchemaError) Is(target error) bool { return target == ErrSchemaMismatch }
