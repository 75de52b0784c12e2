package audit_test

import (
	"bytes"
	"fmt"

	"github.com/sisemu/sisemu/governance/audit"
)

// memSink is an in-memory Sink.
type memSink struct{ bytes.Buffer }

func (*memSink) Sync() error  { return nil }
func (*memSink) Close() error { return nil }

func Example() {
	var sink memSink
	j, _ := audit.New(&sink, 0, audit.Genesis)
	j.Append(audit.Event{Kind: "load", TsNs: 0, Fields: []audit.Field{{Key: "status", Value: uint64(1)}}})
	j.Append(audit.Event{Kind: "infer", TsNs: 1_000_000, Fields: []audit.Field{{Key: "id", Value: uint64(1)}}})
	rep, _ := audit.Verify(bytes.NewReader(sink.Bytes()))
	fmt.Println(rep.Records, rep.Broken == nil, rep.Head == j.Head())

	tampered := bytes.Replace(sink.Bytes(), []byte(`"id":1`), []byte(`"id":2`), 1)
	rep, _ = audit.Verify(bytes.NewReader(tampered))
	fmt.Println(rep.Records, rep.Broken.Record)
	// Output:
	// 2 true true
	// 1 2
}
