module github.com/sisemu/sisemu

go 1.26

require (
	go.uber.org/zap v1.28.0
	gonum.org/v1/gonum v0.17.0
)

require (
	github.com/cockroachdb/datadriven v1.0.3 // indirect
	github.com/creack/pty v1.1.24 // indirect
	github.com/pmezard/go-difflib v1.0.0 // indirect
	go.bug.st/serial v1.8.0 // indirect
	go.uber.org/multierr v1.10.0 // indirect
	golang.org/x/sys v0.43.0 // indirect
)
