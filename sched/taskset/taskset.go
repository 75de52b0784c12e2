// Package taskset describes a set of CBS servers to simulate and runs it on
// the sched scheduler: the input of `sisemu sched simulate`.
//
// A task set is JSON (or the YAML subset Parse accepts, see ParseYAML):
//
//	{
//	  "slice_ns": 1000000,          // L; optional, default 1 ms
//	  "until_ns": 100000000,        // horizon; optional
//	  "bound_ppm": 850000,          // admission bound; optional
//	  "tasks": [
//	    {"name": "ctrl", "q_ns": 2000000, "p_ns": 10000000, "d_ns": 5000000,
//	     "admit_ns": 0, "demand_ns": [2000000, 3000000]}
//	  ]
//	}
//
// q_ns is the server budget Q, p_ns the period P, d_ns the relative deadline
// D (0 or absent: D = P), admit_ns the admission time (the first release),
// demand_ns the execution demand of jobs 0, 1, … (later jobs: Q). Tasks are
// admitted in admission-time order, ties in file order; a task the
// admission test rejects is reported and not simulated.
//
// Like the scheduler, this package reads no clock: Run is a pure function of
// the task set. Real-time pacing lives in cmd/sisemu.
package taskset

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/sisemu/sisemu/sched"
	"github.com/sisemu/sisemu/sched/clock"
)

// Limits that keep a simulation bounded in memory and time.
const (
	MaxTasks = 10_000
	// MaxJobs bounds the number of job records one run keeps.
	MaxJobs = 1 << 22
	// MaxSegments bounds the number of execution segments one run keeps.
	MaxSegments = 1 << 22
)

// ErrInvalid reports a task set that does not parse or validate.
var ErrInvalid = errors.New("taskset: invalid")

// Task is one server of a task set.
type Task struct {
	Name     string   `json:"name,omitempty"`
	QNs      uint64   `json:"q_ns"`
	PNs      uint64   `json:"p_ns"`
	DNs      uint64   `json:"d_ns,omitempty"`
	AdmitNs  uint64   `json:"admit_ns,omitempty"`
	DemandNs []uint64 `json:"demand_ns,omitempty"`
}

// TaskSet is a parsed, validated task set.
type TaskSet struct {
	SliceNs  uint64 `json:"slice_ns,omitempty"`
	UntilNs  uint64 `json:"until_ns,omitempty"`
	BoundPPM uint32 `json:"bound_ppm,omitempty"`
	Tasks    []Task `json:"tasks"`
}

// Parse reads a task set from JSON, or from YAML when the input does not
// start with '{' (after blanks), and validates it.
func Parse(data []byte) (TaskSet, error) {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	var ts TaskSet
	if len(trimmed) > 0 && trimmed[0] != '{' {
		v, err := ParseYAML(data)
		if err != nil {
			return TaskSet{}, err
		}
		if err := fromTree(v, &ts); err != nil {
			return TaskSet{}, err
		}
	} else {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&ts); err != nil {
			return TaskSet{}, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		if dec.More() {
			return TaskSet{}, fmt.Errorf("%w: trailing data after the task set", ErrInvalid)
		}
	}
	if err := ts.Validate(); err != nil {
		return TaskSet{}, err
	}
	return ts, nil
}

// Validate checks the limits and defaults the slice.
func (ts *TaskSet) Validate() error {
	if ts.SliceNs == 0 {
		ts.SliceNs = sched.DefaultSliceNs
	}
	if ts.SliceNs%clock.NsPerTick != 0 {
		return fmt.Errorf("%w: slice_ns %d is not a multiple of %d", ErrInvalid, ts.SliceNs, clock.NsPerTick)
	}
	if len(ts.Tasks) == 0 {
		return fmt.Errorf("%w: no tasks", ErrInvalid)
	}
	if len(ts.Tasks) > MaxTasks {
		return fmt.Errorf("%w: %d tasks (at most %d)", ErrInvalid, len(ts.Tasks), MaxTasks)
	}
	for i, t := range ts.Tasks {
		if t.QNs == 0 || t.PNs == 0 {
			return fmt.Errorf("%w: task %d: q_ns and p_ns must be > 0", ErrInvalid, i)
		}
		if t.AdmitNs%clock.NsPerTick != 0 {
			return fmt.Errorf("%w: task %d: admit_ns %d is not a multiple of %d", ErrInvalid, i, t.AdmitNs, clock.NsPerTick)
		}
		if slices.Contains(t.DemandNs, 0) {
			return fmt.Errorf("%w: task %d: a demand_ns entry is 0", ErrInvalid, i)
		}
	}
	return nil
}

// DefaultUntil is the horizon when neither the file nor the caller sets
// one: the last admission plus ten of the longest periods.
func (ts *TaskSet) DefaultUntil() uint64 {
	var last, maxP uint64
	for _, t := range ts.Tasks {
		last = max(last, t.AdmitNs)
		maxP = max(maxP, t.PNs)
	}
	u, over := mulAdd(maxP, 10, last)
	if over {
		return ^uint64(0)
	}
	return u
}

func mulAdd(a, b, c uint64) (uint64, bool) {
	if a != 0 && b > ^uint64(0)/a {
		return 0, true
	}
	m := a * b
	if m > ^uint64(0)-c {
		return 0, true
	}
	return m + c, false
}

// MaxSlices bounds the length of one run.
const MaxSlices = 1 << 26

// Segment is one stretch of execution of a task inside a slice.
type Segment struct {
	Task    int    `json:"task"`
	K       uint64 `json:"k"`
	StartNs uint64 `json:"start_ns"`
	EndNs   uint64 `json:"end_ns"`
}

// Release is one job release.
type Release struct {
	Task       int    `json:"task"`
	K          uint64 `json:"k"`
	AtNs       uint64 `json:"at_ns"`
	DeadlineNs uint64 `json:"deadline_ns"`
}

// Admission is the admission decision for one task.
type Admission struct {
	Task   int    `json:"task"`
	Server int    `json:"server"` // -1 if rejected
	Error  string `json:"error,omitempty"`
}

// Job is a job record with the task index (JobRecord.Task is the server id).
type Job struct {
	Seq         uint64 `json:"job"`
	Task        int    `json:"task"`
	K           uint64 `json:"k"`
	ReleaseNs   uint64 `json:"release_ns"`
	DeadlineNs  uint64 `json:"deadline_ns"`
	StartSlice  *int64 `json:"start_slice"`
	FinishSlice *int64 `json:"finish_slice"`
	RuntimeNs   uint64 `json:"runtime_ns"`
	Missed      bool   `json:"missed"`
}

// TaskStats summarises one task.
type TaskStats struct {
	Task     int    `json:"task"`
	Name     string `json:"name"`
	Jobs     uint64 `json:"jobs"`
	Finished uint64 `json:"finished"`
	Missed   uint64 `json:"missed"`
}

// Result is what a run produced.
type Result struct {
	SliceNs    uint64      `json:"slice_ns"`
	UntilNs    uint64      `json:"until_ns"`
	Tasks      []Task      `json:"tasks"`
	Admissions []Admission `json:"admissions"`
	Jobs       []Job       `json:"jobs"`
	Segments   []Segment   `json:"segments"`
	Releases   []Release   `json:"releases"`
	PerTask    []TaskStats `json:"per_task"`
	Misses     uint64      `json:"misses"`
	Overruns   uint64      `json:"overruns"`
	JitterN    uint64      `json:"jitter_samples"`
	JitterMax  uint64      `json:"max_jitter_ns"`
	JitterMean uint64      `json:"mean_jitter_ns"`
	JitterP99  uint64      `json:"p99_jitter_ns"`
	Events     uint64      `json:"events"`
	// Truncated reports that the segment or release log hit its limit.
	Truncated bool `json:"truncated"`
}

// Sim runs a task set slice by slice, so that a caller can pace the
// slices (real-time mode) between Step calls.
type Sim struct {
	ts     TaskSet
	s      *sched.Scheduler
	order  []int // task indices in admission order
	next   int   // next entry of order to admit
	taskOf []int // server id -> task index
	slice  uint64
	n      uint64 // slices to run
	res    Result
	evbuf  []sched.Event
	dl     []uint64 // server id -> D
}

// NewSim prepares a run of ts up to untilNs (0: the file's until_ns, else
// DefaultUntil), rounded up to whole slices.
func NewSim(ts TaskSet, untilNs uint64) (*Sim, error) {
	if err := ts.Validate(); err != nil {
		return nil, err
	}
	if untilNs == 0 {
		untilNs = ts.UntilNs
	}
	if untilNs == 0 {
		untilNs = ts.DefaultUntil()
	}
	n := untilNs / ts.SliceNs
	if untilNs%ts.SliceNs != 0 {
		n++
	}
	if n > MaxSlices {
		return nil, fmt.Errorf("%w: %d slices (at most %d); shorten until or lengthen slice_ns", ErrInvalid, n, MaxSlices)
	}
	var jobs uint64
	for _, t := range ts.Tasks {
		if end := n * ts.SliceNs; end > t.AdmitNs {
			jobs += (end-t.AdmitNs-1)/t.PNs + 1
		}
	}
	if jobs > MaxJobs {
		return nil, fmt.Errorf("%w: about %d jobs up to %d ns (at most %d); shorten until or lengthen p_ns", ErrInvalid, jobs, n*ts.SliceNs, MaxJobs)
	}
	capJobs := int(jobs)
	s, err := sched.New(sched.Options{SliceNs: ts.SliceNs, BoundPPM: ts.BoundPPM, Slots: len(ts.Tasks),
		TraceCap: max(capJobs, 1), RecordEvents: true})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	m := &Sim{ts: ts, s: s, n: n}
	m.order = make([]int, len(ts.Tasks))
	for i := range m.order {
		m.order[i] = i
	}
	slices.SortStableFunc(m.order, func(a, b int) int {
		return cmpU64(ts.Tasks[a].AdmitNs, ts.Tasks[b].AdmitNs)
	})
	m.res = Result{SliceNs: ts.SliceNs, UntilNs: n * ts.SliceNs, Tasks: ts.Tasks}
	return m, nil
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Done reports whether every slice has run.
func (m *Sim) Done() bool { return m.slice >= m.n }

// NextSliceNs is the start of the next slice to run.
func (m *Sim) NextSliceNs() uint64 { return m.slice * m.ts.SliceNs }

// Step runs the next slice: admissions due by its start, then the EDF
// dispatch. It returns the releases processed for this slice (those due
// since the previous slice start, inclusive of this one's start).
func (m *Sim) Step() []Release {
	t0 := m.NextSliceNs()
	for m.next < len(m.order) && m.ts.Tasks[m.order[m.next]].AdmitNs <= t0 {
		i := m.order[m.next]
		t := m.ts.Tasks[i]
		id, err := m.s.AdmitWithDemands(clock.FromNs(t.AdmitNs), t.QNs, t.PNs, t.DNs, t.DemandNs)
		a := Admission{Task: i, Server: id}
		if err != nil {
			a.Error = err.Error()
		} else {
			m.taskOf = append(m.taskOf, i)
			d := t.DNs
			if d == 0 {
				d = t.PNs
			}
			m.dl = append(m.dl, d)
		}
		m.res.Admissions = append(m.res.Admissions, a)
		m.next++
	}
	before := len(m.res.Releases)
	_, _, _ = m.s.Dispatch(clock.FromNs(t0)) // slices are back to back: never in progress
	m.drain()
	m.slice++
	return m.res.Releases[before:]
}

func (m *Sim) drain() {
	m.evbuf = m.s.DrainEvents(m.evbuf[:0])
	for _, e := range m.evbuf {
		switch e.Kind {
		case sched.EventRelease:
			if len(m.res.Releases) >= MaxSegments {
				m.res.Truncated = true
				continue
			}
			m.res.Releases = append(m.res.Releases, Release{Task: m.taskOf[e.Server], K: e.K, AtNs: e.AtNs, DeadlineNs: e.AtNs + m.dl[e.Server]})
		case sched.EventDispatch:
			if len(m.res.Segments) >= MaxSegments {
				m.res.Truncated = true
				continue
			}
			m.res.Segments = append(m.res.Segments, Segment{Task: m.taskOf[e.Server], K: e.K, StartNs: e.AtNs, EndNs: e.AtNs + e.Value})
		}
	}
}

// Result finishes the run (events up to the horizon) and returns it.
func (m *Sim) Result() Result {
	// The horizon is exclusive: events at exactly until belong to the
	// next, unsimulated slice.
	m.s.Advance(clock.FromNs(m.n*m.ts.SliceNs) - 1)
	m.drain()
	r := m.res
	st := m.s.Status()
	r.Misses, r.Overruns = st.Misses, st.Overruns
	r.JitterN, r.JitterMax, r.JitterMean, r.JitterP99 = st.JitterSamples, st.MaxJitterNs, st.MeanJitterNs, st.P99JitterNs
	r.Events = m.s.EventCount()
	r.PerTask = make([]TaskStats, len(m.ts.Tasks))
	for i, t := range m.ts.Tasks {
		r.PerTask[i] = TaskStats{Task: i, Name: t.Name}
	}
	for _, rel := range r.Releases {
		r.PerTask[rel.Task].Jobs++
	}
	r.Jobs = r.Jobs[:0:0]
	for _, rec := range m.s.Trace(nil) {
		task := m.taskOf[rec.Task]
		j := Job{Seq: rec.Seq, Task: task, K: rec.K, ReleaseNs: rec.ReleaseNs, DeadlineNs: rec.DeadlineNs,
			RuntimeNs: rec.RuntimeNs, Missed: rec.Missed}
		if rec.StartSlice >= 0 {
			v := rec.StartSlice
			j.StartSlice = &v
		}
		if rec.FinishSlice >= 0 {
			v := rec.FinishSlice
			j.FinishSlice = &v
			r.PerTask[task].Finished++
		}
		if rec.Missed {
			r.PerTask[task].Missed++
		}
		r.Jobs = append(r.Jobs, j)
	}
	return r
}

// Run simulates ts on the virtual clock up to untilNs (see NewSim).
func Run(ts TaskSet, untilNs uint64) (Result, error) {
	m, err := NewSim(ts, untilNs)
	if err != nil {
		return Result{}, err
	}
	for !m.Done() {
		m.Step()
	}
	return m.Result(), nil
}

// Slices returns how many slices the simulation runs.
func (m *Sim) Slices() uint64 { return m.n }
