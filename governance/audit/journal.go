package audit

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Sink is where a Journal writes: a file in production, anything in tests.
// Write must take the whole line; Sync must make it durable before it
// returns (fsync for a file).
type Sink interface {
	io.Writer
	Sync() error
	Close() error
}

// Sentinel errors of the journal.
var (
	// ErrBroken is a journal whose chain does not verify.
	ErrBroken = errors.New("audit: journal chain broken")
	// ErrFailed is returned by Append after an earlier write or sync failed:
	// the file's tail is unknown, so the journal refuses to go on.
	ErrFailed = errors.New("audit: journal failed earlier")
	// ErrClosed is returned by Append after Close.
	ErrClosed = errors.New("audit: journal closed")
	// ErrLocked is returned by Open when another journal has the file open.
	ErrLocked = errors.New("audit: journal in use by another process")
)

// Journal appends hash-chained records to a Sink, one line per record, and
// makes each durable before Append returns. A record that Append returned
// is on disk: a crash (kill -9) after it loses nothing acknowledged.
type Journal struct {
	sink   Sink
	seq    uint64 // seq of the last record written
	prev   string // hash of the last record written
	failed error
	closed bool
	buf    []byte
}

// New starts a journal on sink continuing after a record with sequence
// number seq and hash prev (0 and Genesis for an empty journal).
func New(sink Sink, seq uint64, prev string) (*Journal, error) {
	if !isHex(prev) {
		return nil, fmt.Errorf("audit: new: prev %q is not a SHA-256 hex digest", prev)
	}
	return &Journal{sink: sink, seq: seq, prev: prev}, nil
}

// Open opens the journal file at path for appending, creating it if needed,
// and locks it (ErrLocked if another Journal holds it).
// An existing file is verified first and the chain continues from its last
// record; a file that does not verify is refused (errors.Is(err, ErrBroken)),
// so a damaged journal is never extended silently.
func Open(path string) (*Journal, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("audit: open: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("audit: open: %w", err)
	}
	rep, err := Verify(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("audit: open %s: %w", path, err)
	}
	if rep.Broken != nil {
		f.Close()
		return nil, fmt.Errorf("audit: open %s: %w at record %d: %s", path, ErrBroken, rep.Broken.Record, rep.Broken.Reason)
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		f.Close()
		return nil, fmt.Errorf("audit: open: %w", err)
	}
	if rep.Records == 0 {
		// A new file: make its directory entry durable too.
		if d, err := os.Open(filepath.Dir(path)); err == nil {
			_ = d.Sync()
			d.Close()
		}
	}
	return New(f, rep.Records, rep.Head)
}

// Append writes e as the next record and syncs it. On success the record is
// durable. A failed write or sync leaves the journal failed: every later
// Append returns ErrFailed.
func (j *Journal) Append(e Event) (Record, error) {
	if j.closed {
		return Record{}, ErrClosed
	}
	if j.failed != nil {
		return Record{}, fmt.Errorf("%w: %v", ErrFailed, j.failed)
	}
	seq := j.seq + 1
	line, h, err := encode(seq, e.TsNs, e.Kind, e.Fields, j.prev)
	if err != nil {
		return Record{}, fmt.Errorf("audit: append: %w", err)
	}
	j.buf = append(append(j.buf[:0], line...), '\n')
	if _, err := j.sink.Write(j.buf); err != nil {
		j.failed = err
		return Record{}, fmt.Errorf("audit: append: %w", err)
	}
	if err := j.sink.Sync(); err != nil {
		j.failed = err
		return Record{}, fmt.Errorf("audit: append: sync: %w", err)
	}
	r := Record{Seq: seq, TsNs: e.TsNs, Kind: e.Kind, Fields: append([]Field(nil), e.Fields...), Prev: j.prev, Hash: h}
	j.seq, j.prev = seq, h
	return r, nil
}

// Seq is the sequence number of the last record (0 for an empty journal).
func (j *Journal) Seq() uint64 { return j.seq }

// Head is the hash of the last record (Genesis for an empty journal).
func (j *Journal) Head() string { return j.prev }

// Close closes the sink. Appends after Close fail.
func (j *Journal) Close() error {
	if j.closed {
		return nil
	}
	j.closed = true
	return j.sink.Close()
}

// Break says where a journal stops verifying.
type Break struct {
	// Record is the 1-based position of the first bad record (its line number).
	Record uint64
	// Offset is the byte offset at which that record starts.
	Offset int64
	// Reason says what is wrong with it.
	Reason string
}

// Report is the result of verifying a journal.
type Report struct {
	// Records is the number of records that verified, in order from the first.
	Records uint64
	// Head is the hash of the last verified record (Genesis if none): an
	// anchor to compare with a copy kept elsewhere, since removing records
	// from the end of a file cannot be seen from the file alone.
	Head string
	// Broken is the first bad record, nil if the whole journal verifies.
	Broken *Break
}

// MaxLine bounds one record's line; longer lines are reported as broken.
const MaxLine = 1 << 20

// Verify reads a whole journal and checks every record: canonical JSON,
// its own hash over its bytes, seq = position, prev = the previous record's
// hash, and a line end after the last record. It stops at the first bad
// record. The error is only for read failures; a bad journal is a Report
// with Broken set.
func Verify(r io.Reader) (Report, error) {
	rep := Report{Head: Genesis}
	br := bufio.NewReaderSize(r, 64<<10)
	var off int64
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// Long line: gather it (ReadSlice reuses its buffer, so copy first).
			long := append([]byte(nil), line...)
			for errors.Is(err, bufio.ErrBufferFull) && len(long) <= MaxLine {
				line, err = br.ReadSlice('\n')
				long = append(long, line...)
			}
			line = long
		}
		if len(line) == 0 && err == io.EOF {
			return rep, nil
		}
		if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
			return rep, fmt.Errorf("audit: verify: %w", err)
		}
		pos := rep.Records + 1
		brk := func(format string, args ...any) (Report, error) {
			rep.Broken = &Break{Record: pos, Offset: off, Reason: fmt.Sprintf(format, args...)}
			return rep, nil
		}
		if len(line) > MaxLine {
			return brk("line longer than %d bytes", MaxLine)
		}
		if line[len(line)-1] != '\n' {
			return brk("truncated: no line end after the last record")
		}
		body := bytes.TrimSuffix(line, []byte("\n"))
		rec, perr := ParseLine(body)
		if perr != nil {
			return brk("%v", perr)
		}
		if rec.Seq != pos {
			return brk("seq %d where %d belongs (a record is missing or out of order)", rec.Seq, pos)
		}
		if rec.Prev != rep.Head {
			return brk("prev %s does not match the previous record's hash %s", rec.Prev, rep.Head)
		}
		rep.Records = pos
		rep.Head = rec.Hash
		off += int64(len(line))
	}
}

// ReadAll verifies a journal and returns its records. A broken journal gives
// the records before the break and an error wrapping ErrBroken.
func ReadAll(r io.Reader) ([]Record, error) {
	var recs []Record
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("audit: read: %w", err)
	}
	rep, err := Verify(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	rest := data
	for i := uint64(0); i < rep.Records; i++ {
		n := bytes.IndexByte(rest, '\n')
		rec, _ := ParseLine(rest[:n])
		recs = append(recs, rec)
		rest = rest[n+1:]
	}
	if rep.Broken != nil {
		return recs, fmt.Errorf("%w at record %d: %s", ErrBroken, rep.Broken.Record, rep.Broken.Reason)
	}
	return recs, nil
}
