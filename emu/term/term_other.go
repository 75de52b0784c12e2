//go:build !linux

package term

import "errors"

// State is a saved terminal configuration.
type State struct{}

var errUnsupported = errors.New("term: raw mode is only implemented on linux")

// IsTerminal reports whether fd is a terminal (never, off linux).
func IsTerminal(fd int) bool { return false }

// GetState is unsupported off linux.
func GetState(fd int) (*State, error) { return nil, errUnsupported }

// Restore is unsupported off linux.
func Restore(fd int, s *State) error { return errUnsupported }

// MakeRaw is unsupported off linux.
func MakeRaw(fd int) error { return errUnsupported }

// MakeSerial is unsupported off linux.
func MakeSerial(fd int) error { return errUnsupported }
