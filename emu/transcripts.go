package emu

import (
	"embed"
	"io/fs"
)

// transcripts holds the phase tests, so that the sisemu binary can run the
// phase suites without a source checkout. Only testdata/phase* is embedded:
// the other transcripts and fuzz corpora stay out of the binary.
//
//go:embed testdata/phase*
var transcripts embed.FS

// Transcripts returns the built-in transcript files, rooted so that phase
// tests are at phase<N>/<subsuite>/<function>.txt.
func Transcripts() fs.FS {
	sub, err := fs.Sub(transcripts, "testdata")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return sub
}
