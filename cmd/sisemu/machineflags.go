package main

import (
	"flag"
	"fmt"
	"os"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/sisemu/sisemu/emu"
	"github.com/sisemu/sisemu/sched/hwclock"
)

// machineFlags are the flags every mode that builds a machine shares.
type machineFlags struct {
	seed     uint64
	audit    string
	logFile  string
	logLevel string
	clock    string
	predict  bool
}

func (f *machineFlags) register(fs *flag.FlagSet) {
	fs.Uint64Var(&f.seed, "seed", 0, "machine seed: same seed and input, same output")
	fs.StringVar(&f.audit, "audit", "", "durable governance audit journal (JSON lines, hash-chained)")
	fs.StringVar(&f.logFile, "log", "", "write structured logs (JSON) to this file; none by default")
	fs.StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	fs.BoolVar(&f.predict, "predict", false, "print the kernel's [AI] Predicting line before each command's output")
	fs.StringVar(&f.clock, "clock", "virtual", "time base: virtual (reproducible), realtime (follows the host's monotonic clock) or hw (the generic timer on arm64)")
}

// options builds the machine options and the logger; the returned function
// flushes and closes the log.
func (f *machineFlags) options() (emu.Options, func(), error) {
	opts := emu.Options{Seed: f.seed, AuditPath: f.audit, Predictions: f.predict}
	switch f.clock {
	case "virtual":
	case "realtime":
		opts.Clock = hwclock.NewMonotonic()
	case "hw":
		opts.Clock = hwclock.New()
	default:
		return opts, nil, fmt.Errorf("bad --clock %q: virtual, realtime or hw", f.clock)
	}
	logger, closeLog, err := newLogger(f.logFile, f.logLevel)
	if err != nil {
		return opts, nil, err
	}
	opts.Logger = logger
	return opts, closeLog, nil
}

// newLogger returns a zap logger writing JSON to path, or a no-op logger
// when path is empty: logs never go to the console's stdout.
func newLogger(path, level string) (*zap.Logger, func(), error) {
	if path == "" {
		return zap.NewNop(), func() {}, nil
	}
	lvl, err := zapcore.ParseLevel(level)
	if err != nil {
		return nil, nil, fmt.Errorf("bad --log-level: %w", err)
	}
	file, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("open log: %w", err)
	}
	enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
	logger := zap.New(zapcore.NewCore(enc, zapcore.AddSync(file), lvl))
	return logger, func() { _ = logger.Sync(); _ = file.Close() }, nil
}
