package audit

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

type memSink struct {
	bytes.Buffer
	syncs  int
	failAt int // Write number that fails (1-based); 0 never
	writes int
}

func (m *memSink) Write(p []byte) (int, error) {
	m.writes++
	if m.writes == m.failAt {
		return 0, errors.New("disk full")
	}
	return m.Buffer.Write(p)
}
func (m *memSink) Sync() error  { m.syncs++; return nil }
func (m *memSink) Close() error { return nil }

func sampleEvents(n int) []Event {
	var evs []Event
	kinds := []string{"load", "budget", "infer", "stream", "register", "swap", "rollback", "reject"}
	for i := 0; i < n; i++ {
		evs = append(evs, Event{
			Kind: kinds[i%len(kinds)],
			TsNs: uint64(i) * 1_000_000,
			Fields: []Field{
				{Key: "id", Value: uint64(i + 1)},
				{Key: "model", Value: fmt.Sprintf("model-%d \"q\" \\ é\t", i)},
				{Key: "delta", Value: int64(-i)},
				{Key: "ok", Value: i%2 == 0},
			},
		})
	}
	return evs
}

func writeJournal(t testing.TB, n int) []byte {
	t.Helper()
	var s memSink
	j, err := New(&s, 0, Genesis)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range sampleEvents(n) {
		if _, err := j.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	if s.syncs != n {
		t.Fatalf("%d syncs for %d records", s.syncs, n)
	}
	return s.Bytes()
}

func TestVerifyClean(t *testing.T) {
	data := writeJournal(t, 6)
	rep, err := Verify(bytes.NewReader(data))
	if err != nil || rep.Broken != nil || rep.Records != 6 {
		t.Fatalf("report %+v err %v", rep, err)
	}
	recs, err := ReadAll(bytes.NewReader(data))
	if err != nil || len(recs) != 6 {
		t.Fatalf("ReadAll: %d records, %v", len(recs), err)
	}
	want := sampleEvents(6)
	for i, r := range recs {
		if r.Seq != uint64(i+1) || r.Kind != want[i].Kind || r.TsNs != want[i].TsNs {
			t.Fatalf("record %d: %+v", i, r)
		}
		if fmt.Sprint(r.Fields) != fmt.Sprint(want[i].Fields) {
			t.Fatalf("record %d fields %v, want %v", i, r.Fields, want[i].Fields)
		}
	}
	if recs[0].Prev != Genesis || recs[1].Prev != recs[0].Hash || rep.Head != recs[5].Hash {
		t.Fatal("chain links wrong")
	}
	first := string(data[:bytes.IndexByte(data, '\n')])
	wantPrefix := `{"seq":1,"ts_ns":0,"event":"load","id":1,"model":"model-0 \"q\" \\ \u00e9\u0009","delta":0,"ok":true,"prev":"` + Genesis + `","hash":"`
	if !strings.HasPrefix(first, wantPrefix) {
		t.Fatalf("first line\n%s\nwant prefix\n%s", first, wantPrefix)
	}
}

func TestVerifyEmpty(t *testing.T) {
	rep, err := Verify(bytes.NewReader(nil))
	if err != nil || rep.Broken != nil || rep.Records != 0 || rep.Head != Genesis {
		t.Fatalf("%+v %v", rep, err)
	}
}

// Every single-byte change anywhere in the file is found, at the record
// that holds the byte.
func TestVerifyEverySingleByteChange(t *testing.T) {
	data := writeJournal(t, 4)
	recOf := make([]uint64, len(data))
	rec := uint64(1)
	for i, c := range data {
		recOf[i] = rec
		if c == '\n' {
			rec++
		}
	}
	for i := range data {
		for _, mask := range []byte{0x01, 0x02, 0x10, 0x20, 0x40, 0x80} {
			mod := bytes.Clone(data)
			mod[i] ^= mask
			rep, err := Verify(bytes.NewReader(mod))
			if err != nil {
				t.Fatal(err)
			}
			if rep.Broken == nil {
				t.Fatalf("byte %d ^ %#x (%q) not detected", i, mask, data[i])
			}
			if rep.Broken.Record != recOf[i] || rep.Records != recOf[i]-1 {
				t.Fatalf("byte %d ^ %#x in record %d reported at record %d (%s)", i, mask, recOf[i], rep.Broken.Record, rep.Broken.Reason)
			}
		}
	}
}

func TestVerifyTruncatedLastLine(t *testing.T) {
	data := writeJournal(t, 3)
	for cut := 1; cut < 40; cut++ {
		rep, _ := Verify(bytes.NewReader(data[:len(data)-cut]))
		if rep.Broken == nil || rep.Broken.Record != 3 || rep.Records != 2 {
			t.Fatalf("cut %d: %+v", cut, rep)
		}
	}
	rep, _ := Verify(bytes.NewReader(data[:len(data)-1]))
	if !strings.Contains(rep.Broken.Reason, "truncated") {
		t.Fatalf("reason %q", rep.Broken.Reason)
	}
}

func TestVerifyRemovedRecord(t *testing.T) {
	data := writeJournal(t, 5)
	lines := bytes.SplitAfter(data, []byte("\n"))
	for drop := 0; drop < 4; drop++ { // dropping the last leaves a valid prefix (see Report.Head)
		var mod []byte
		for i, l := range lines {
			if i != drop {
				mod = append(mod, l...)
			}
		}
		rep, _ := Verify(bytes.NewReader(mod))
		if rep.Broken == nil || rep.Broken.Record != uint64(drop+1) {
			t.Fatalf("dropping record %d: %+v", drop+1, rep)
		}
		if drop == 0 {
			continue
		}
		if !strings.Contains(rep.Broken.Reason, "missing") {
			t.Fatalf("reason %q", rep.Broken.Reason)
		}
	}
	// Swapping two records is found too.
	mod := append(append(append([]byte(nil), lines[1]...), lines[0]...), bytes.Join(lines[2:], nil)...)
	if rep, _ := Verify(bytes.NewReader(mod)); rep.Broken == nil || rep.Broken.Record != 1 {
		t.Fatalf("swapped records: %+v", rep)
	}
}

func TestOpenContinuesChain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	evs := sampleEvents(5)
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs[:3] {
		if _, err := j.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	head := j.Head()
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Append(evs[3]); !errors.Is(err, ErrClosed) {
		t.Fatalf("append after close: %v", err)
	}
	j, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if j.Seq() != 3 || j.Head() != head {
		t.Fatalf("reopened at seq %d head %s", j.Seq(), j.Head())
	}
	r, err := j.Append(evs[3])
	if err != nil || r.Seq != 4 || r.Prev != head {
		t.Fatalf("continued record %+v %v", r, err)
	}
	j.Append(evs[4])
	j.Close()
	f, _ := os.Open(path)
	defer f.Close()
	rep, _ := Verify(f)
	if rep.Broken != nil || rep.Records != 5 {
		t.Fatalf("%+v", rep)
	}
}

func TestOpenLocksTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("second open: %v", err)
	}
	j.Close()
	j2, err := Open(path)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	j2.Close()
}

func TestOpenRefusesBrokenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	data := writeJournal(t, 3)
	data[10] ^= 1
	os.WriteFile(path, data, 0o644)
	if _, err := Open(path); !errors.Is(err, ErrBroken) || !strings.Contains(err.Error(), "record 1") {
		t.Fatalf("open of a tampered file: %v", err)
	}
}

func TestAppendFailureIsSticky(t *testing.T) {
	s := &memSink{failAt: 2}
	j, _ := New(s, 0, Genesis)
	evs := sampleEvents(3)
	if _, err := j.Append(evs[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Append(evs[1]); err == nil {
		t.Fatal("failed write acknowledged")
	}
	if _, err := j.Append(evs[2]); !errors.Is(err, ErrFailed) {
		t.Fatalf("append after failure: %v", err)
	}
	if j.Seq() != 1 {
		t.Fatalf("seq %d after a failed append", j.Seq())
	}
}

func TestAppendRejectsBadFields(t *testing.T) {
	j, _ := New(&memSink{}, 0, Genesis)
	for _, f := range []Field{{Key: "seq", Value: uint64(1)}, {Key: "Bad", Value: uint64(1)}, {Key: "x", Value: 1.5}, {Key: "", Value: true}} {
		if _, err := j.Append(Event{Kind: "x", Fields: []Field{f}}); !errors.Is(err, ErrMalformed) {
			t.Fatalf("field %+v: %v", f, err)
		}
	}
	if j.Seq() != 0 {
		t.Fatal("a rejected event was counted")
	}
	if _, err := New(&memSink{}, 0, "zz"); err == nil {
		t.Fatal("bad prev accepted")
	}
}

// TestKillBetweenRecords runs a child process that appends records and
// acknowledges each on stdout after Append returns, kills it with SIGKILL
// mid-stream, and checks that every acknowledged record is in the file and
// that the file verifies.
func TestKillBetweenRecords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	cmd := exec.Command(os.Args[0], "-test.run=^TestAuditChildProcess$")
	cmd.Env = append(os.Environ(), "SISEMU_AUDIT_CHILD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	var acked uint64
	for sc.Scan() {
		if n, ok := strings.CutPrefix(sc.Text(), "ack "); ok {
			acked, _ = strconv.ParseUint(n, 10, 64)
			if acked == 200 {
				break
			}
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if acked < 200 {
		t.Fatalf("child acknowledged only %d records", acked)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := Verify(f)
	if err != nil || rep.Broken != nil {
		t.Fatalf("journal after kill -9: %+v %v", rep, err)
	}
	if rep.Records < acked {
		t.Fatalf("%d records on disk, %d acknowledged", rep.Records, acked)
	}
	// And the chain goes on after the crash.
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := j.Append(Event{Kind: "restart"}); err != nil || r.Seq != rep.Records+1 {
		t.Fatalf("append after restart: %+v %v", r, err)
	}
	j.Close()
}

// TestAuditChildProcess is the child of TestKillBetweenRecords: it appends
// until killed.
func TestAuditChildProcess(t *testing.T) {
	path := os.Getenv("SISEMU_AUDIT_CHILD")
	if path == "" {
		return // only does something as the child of TestKillBetweenRecords
	}
	j, err := Open(path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	for i := uint64(1); i < 1_000_000; i++ {
		r, err := j.Append(Event{Kind: "infer", TsNs: i * 16, Fields: []Field{{Key: "id", Value: i}}})
		if err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		fmt.Printf("ack %d\n", r.Seq)
	}
	os.Exit(0)
}

func FuzzVerify(f *testing.F) {
	data := writeJournal(f, 3)
	f.Add(data)
	f.Add(data[:len(data)-5])
	f.Add([]byte("{}\n"))
	f.Add([]byte(`{"seq":1,"ts_ns":0,"event":"x","prev":"` + Genesis + `","hash":"` + Genesis + "\"}\n"))
	f.Add([]byte("\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Verify(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Broken == nil && rep.Records == 0 && len(data) != 0 {
			t.Fatalf("non-empty input verified as empty")
		}
		recs, err := ReadAll(bytes.NewReader(data))
		if (err == nil) != (rep.Broken == nil) || uint64(len(recs)) != rep.Records {
			t.Fatalf("ReadAll disagrees with Verify: %d records, %v vs %+v", len(recs), err, rep)
		}
		// Every verified record re-encodes to its own bytes.
		lines := bytes.SplitAfter(data, []byte("\n"))
		for i, r := range recs {
			line, h, err := encode(r.Seq, r.TsNs, r.Kind, r.Fields, r.Prev)
			if err != nil || h != r.Hash || !bytes.Equal(append(line, '\n'), lines[i]) {
				t.Fatalf("record %d does not round-trip", i+1)
			}
		}
	})
}

func FuzzAppendRoundTrip(f *testing.F) {
	f.Add("infer", uint64(5), "model-1", int64(-3), true)
	f.Add("x\"\\\x00\xff\U0001F600", uint64(0), "é", int64(0), false)
	f.Fuzz(func(t *testing.T, kind string, ts uint64, s string, i int64, b bool) {
		var sink memSink
		j, _ := New(&sink, 0, Genesis)
		if _, err := j.Append(Event{Kind: kind, TsNs: ts, Fields: []Field{{Key: "s", Value: s}, {Key: "i", Value: i}, {Key: "b", Value: b}}}); err != nil {
			t.Fatal(err)
		}
		rep, err := Verify(bytes.NewReader(sink.Bytes()))
		if err != nil || rep.Broken != nil || rep.Records != 1 {
			t.Fatalf("own record does not verify: %+v %v\n%s", rep, err, sink.Bytes())
		}
	})
}

func BenchmarkAppendFsync(b *testing.B) {
	j, err := Open(filepath.Join(b.TempDir(), "audit.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	e := sampleEvents(1)[0]
	for b.Loop() {
		if _, err := j.Append(e); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

func BenchmarkVerify(b *testing.B) {
	data := writeJournal(b, 1000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if rep, _ := Verify(bytes.NewReader(data)); rep.Broken != nil {
			b.Fatal(rep.Broken.Reason)
		}
	}
}

// A record's own hash is plain SHA-256 over its bytes, so anyone can edit a
// record and recompute it: that record then verifies on its own, and only
// the next record's prev link shows the edit. Verify must report the break
// there.
func TestVerifyRehashedRecord(t *testing.T) {
	data := writeJournal(t, 4)
	lines := bytes.SplitAfter(data, []byte("\n"))
	rec, err := ParseLine(bytes.TrimSuffix(lines[1], []byte("\n")))
	if err != nil {
		t.Fatal(err)
	}
	rec.TsNs++ // the edit
	forged, _, err := encode(rec.Seq, rec.TsNs, rec.Kind, rec.Fields, rec.Prev)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseLine(forged); err != nil {
		t.Fatalf("forged record does not verify on its own: %v", err)
	}
	mod := append(append(append([]byte(nil), lines[0]...), forged...), '\n')
	mod = append(mod, bytes.Join(lines[2:], nil)...)
	rep, err := Verify(bytes.NewReader(mod))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Broken == nil || rep.Broken.Record != 3 || rep.Records != 2 || !strings.Contains(rep.Broken.Reason, "prev") {
		t.Fatalf("rehashed record 2: %+v", rep.Broken)
	}
}
