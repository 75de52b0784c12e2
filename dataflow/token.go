package dataflow

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// DefaultToken is every control-plane token at boot: wire bytes
// `21 4C 52 54 43 5F 53 53` ("!LRTC_SS").
const DefaultToken uint64 = 0x53535F4354524C21

// Tokens are the control plane's capability tokens (§4.3). `ctlkey`,
// `ctladmin` and `ctlsubmit` rotate them; graphctl keeps sending the
// default token regardless (§7 row 15).
type Tokens struct {
	Control, Admin, Submit uint64
}

// DefaultTokens returns the boot tokens.
func DefaultTokens() Tokens { return Tokens{DefaultToken, DefaultToken, DefaultToken} }

// ErrToken is returned for a token that is not 1–16 hex digits.
var ErrToken = errors.New("ctl: invalid hex token")

// ParseToken parses a token as typed to ctlkey: 1–16 hex digits of either
// case, with an optional 0x/0X prefix.
func ParseToken(s string) (uint64, error) {
	h := s
	if strings.HasPrefix(h, "0x") || strings.HasPrefix(h, "0X") {
		h = h[2:]
	}
	if len(h) == 0 || len(h) > 16 {
		return 0, fmt.Errorf("%w: %q", ErrToken, s)
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return 0, fmt.Errorf("%w: %q", ErrToken, s)
		}
	}
	v, err := strconv.ParseUint(h, 16, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %q", ErrToken, s)
	}
	return v, nil
}

// ErrHex is returned by ParseHexFrame for a character that is not a hex
// digit.
var ErrHex = errors.New("ctl: invalid hex")

// MaxHexFrame is the most bytes ctlhex injects.
const MaxHexFrame = 256

// ParseHexFrame turns ctlhex's argument into bytes (§4.5): pairs of hex
// digits of either case, at most 256 bytes (the rest is ignored), a
// trailing odd digit ignored; any other character (a 0x prefix included)
// is an error. dst is reused if large enough.
func ParseHexFrame(dst []byte, s string) ([]byte, error) {
	dst = dst[:0]
	for i := 0; i < len(s); i++ {
		if unhex(s[i]) < 0 {
			return dst[:0], fmt.Errorf("%w: %q at %d", ErrHex, s[i], i)
		}
	}
	for i := 0; i+1 < len(s) && len(dst) < MaxHexFrame; i += 2 {
		dst = append(dst, byte(unhex(s[i])<<4|unhex(s[i+1])))
	}
	return dst, nil
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
