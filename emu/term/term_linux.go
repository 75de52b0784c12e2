// Package term switches terminals between raw and cooked mode with the
// Linux termios ioctls, for the PTY console and the interactive shell.
package term

import (
	"syscall"
	"unsafe"
)

// State is a saved terminal configuration.
type State struct{ t syscall.Termios }

func ioctl(fd int, req uintptr, t *syscall.Termios) error {
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), req, uintptr(unsafe.Pointer(t)))
	if errno != 0 {
		return errno
	}
	return nil
}

// IsTerminal reports whether fd is a terminal.
func IsTerminal(fd int) bool {
	var t syscall.Termios
	return ioctl(fd, syscall.TCGETS, &t) == nil
}

// GetState returns fd's current configuration.
func GetState(fd int) (*State, error) {
	var s State
	if err := ioctl(fd, syscall.TCGETS, &s.t); err != nil {
		return nil, err
	}
	return &s, nil
}

// Restore puts back a saved configuration.
func Restore(fd int, s *State) error {
	t := s.t
	return ioctl(fd, syscall.TCSETS, &t)
}

// MakeRaw puts fd in raw mode: no echo, no line editing, no signals, no
// output post-processing, 8-bit bytes one at a time.
func MakeRaw(fd int) error {
	var t syscall.Termios
	if err := ioctl(fd, syscall.TCGETS, &t); err != nil {
		return err
	}
	t.Iflag &^= syscall.IGNBRK | syscall.BRKINT | syscall.PARMRK | syscall.ISTRIP | syscall.INLCR | syscall.IGNCR | syscall.ICRNL | syscall.IXON
	t.Oflag &^= syscall.OPOST
	t.Lflag &^= syscall.ECHO | syscall.ECHONL | syscall.ICANON | syscall.ISIG | syscall.IEXTEN
	t.Cflag &^= syscall.CSIZE | syscall.PARENB
	t.Cflag |= syscall.CS8
	t.Cc[syscall.VMIN] = 1
	t.Cc[syscall.VTIME] = 0
	return ioctl(fd, syscall.TCSETS, &t)
}

// MakeSerial sets fd up the way QEMU's -serial stdio does for a guest
// console: input raw (no echo, no line editing, no signals, CR kept as CR,
// bytes one at a time) so the emulated kernel's line editor sees every key,
// but output post-processing kept, so the kernel's bare LF still starts a
// new line on the screen.
func MakeSerial(fd int) error {
	if err := MakeRaw(fd); err != nil {
		return err
	}
	var t syscall.Termios
	if err := ioctl(fd, syscall.TCGETS, &t); err != nil {
		return err
	}
	t.Oflag |= syscall.OPOST | syscall.ONLCR
	return ioctl(fd, syscall.TCSETS, &t)
}
