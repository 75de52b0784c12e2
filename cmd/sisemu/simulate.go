package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/sisemu/sisemu/sched/hwclock"
	"github.com/sisemu/sisemu/sched/taskset"
)

func init() {
	registerSubcommand(subcommand{
		name:    "sched",
		summary: "CBS/EDF tools: simulate a task set, write its trace (JSON) and Gantt chart (SVG)",
		run:     runSched,
	})
}

const schedUsage = `Usage: sisemu sched simulate --taskset FILE [--until T] [--json OUT] [--svg OUT] [--clock virtual|hw]

Runs the servers of a task set (JSON, or the YAML subset; see examples/taskset.json;
FILE - is standard input) under CBS/EDF, slice by slice, and prints a summary.
  --until T      horizon: nanoseconds, or a number with ns, us, ms or s (default: the
                 file's until_ns, else the last admission plus ten longest periods)
  --json OUT     write the trace (jobs, segments, releases, counters) as JSON
  --svg OUT      write a Gantt chart: one row per task, execution, releases,
                 deadlines and misses marked (horizons up to 20,000 slices)
  --clock hw     pace the slices in real time against the hardware timer
                 (CNTVCT_EL0 on linux/arm64, the host monotonic clock elsewhere)
                 and report the measured release jitter; the schedule is the same
`

func runSched(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "simulate" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprint(stdout, schedUsage)
			return 0
		}
		fmt.Fprint(stderr, schedUsage)
		return 2
	}
	return runSimulate(args[1:], stdout, stderr)
}

// parseDuration reads "123" (ns) or a number with a ns/us/ms/s suffix.
func parseDuration(s string) (uint64, error) {
	units := []struct {
		suf string
		mul uint64
	}{{"ns", 1}, {"us", 1_000}, {"ms", 1_000_000}, {"s", 1_000_000_000}}
	mul := uint64(1)
	num := s
	for _, u := range units {
		if strings.HasSuffix(s, u.suf) {
			num, mul = strings.TrimSuffix(s, u.suf), u.mul
			break
		}
	}
	v, err := strconv.ParseUint(num, 10, 64)
	if err != nil || num == "" {
		return 0, fmt.Errorf("bad duration %q (use e.g. 250000000, 250ms, 2s)", s)
	}
	if v > ^uint64(0)/mul {
		return 0, fmt.Errorf("duration %q overflows", s)
	}
	return v * mul, nil
}

func runSimulate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sisemu sched simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, schedUsage) }
	var path, untilS, jsonOut, svgOut, clk string
	fs.StringVar(&path, "taskset", "", "task set file (JSON or YAML); - reads standard input")
	fs.StringVar(&untilS, "until", "", "horizon (ns, or with ns/us/ms/s)")
	fs.StringVar(&jsonOut, "json", "", "write the trace as JSON to this file")
	fs.StringVar(&svgOut, "svg", "", "write the Gantt chart as SVG to this file")
	fs.StringVar(&clk, "clock", "virtual", "virtual or hw")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "sisemu sched simulate: "+format+"\n", a...)
		return 2
	}
	if path == "" {
		return fail("--taskset is required")
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	if clk != "virtual" && clk != "hw" {
		return fail("--clock must be virtual or hw, not %q", clk)
	}
	var until uint64
	if untilS != "" {
		var err error
		if until, err = parseDuration(untilS); err != nil {
			return fail("%v", err)
		}
		if until == 0 {
			return fail("--until must be > 0")
		}
	}
	if svgOut != "" && !strings.EqualFold(filepath.Ext(svgOut), ".svg") {
		return fail("--svg file must end in .svg")
	}
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(io.LimitReader(stdin, 64<<20))
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return fail("%v", err)
	}
	ts, err := taskset.Parse(data)
	if err != nil {
		return fail("%s: %v", path, err)
	}
	sim, err := taskset.NewSim(ts, until)
	if err != nil {
		return fail("%s: %v", path, err)
	}
	if svgOut != "" && sim.Slices() > maxChartSlices {
		// Building the chart holds every shape in memory: at the job and
		// slice limits that is gigabytes, for a picture nobody can read.
		return fail("--svg: a chart of %d slices is too large to read (at most %d); shorten --until or write --json only", sim.Slices(), maxChartSlices)
	}
	var hw *hwReport
	if clk == "hw" {
		hw = runRealTime(sim)
	} else {
		for !sim.Done() {
			sim.Step()
		}
	}
	res := sim.Result()
	printSummary(stdout, ts, res, clk)
	if hw != nil {
		hw.print(stdout)
	}
	if jsonOut != "" {
		if err := writeJSON(jsonOut, res, hw); err != nil {
			return fail("%v", err)
		}
		fmt.Fprintf(stdout, "json: %s\n", jsonOut)
	}
	if svgOut != "" {
		if err := writeGantt(svgOut, res); err != nil {
			return fail("%v", err)
		}
		fmt.Fprintf(stdout, "svg: %s\n", svgOut)
	}
	return 0
}

// maxChartSlices bounds the horizon of a Gantt chart.
const maxChartSlices = 20_000

func printSummary(w io.Writer, ts taskset.TaskSet, r taskset.Result, clk string) {
	fmt.Fprintf(w, "sisemu sched simulate: %d tasks, slice %d ns, until %d ns (%d slices), clock %s\n",
		len(ts.Tasks), r.SliceNs, r.UntilNs, r.UntilNs/r.SliceNs, clk)
	adm := map[int]taskset.Admission{}
	for _, a := range r.Admissions {
		adm[a.Task] = a
	}
	for i, t := range ts.Tasks {
		d := t.DNs
		if d == 0 {
			d = t.PNs
		}
		name := t.Name
		if name == "" {
			name = "task" + strconv.Itoa(i)
		}
		a, ok := adm[i]
		switch {
		case !ok:
			fmt.Fprintf(w, "task %d %-10s q=%d d=%d p=%d admit=%d: not admitted before the horizon\n", i, name, t.QNs, d, t.PNs, t.AdmitNs)
		case a.Error != "":
			fmt.Fprintf(w, "task %d %-10s q=%d d=%d p=%d admit=%d: rejected (%s)\n", i, name, t.QNs, d, t.PNs, t.AdmitNs, a.Error)
		default:
			st := r.PerTask[i]
			fmt.Fprintf(w, "task %d %-10s q=%d d=%d p=%d admit=%d: server %d jobs=%d finished=%d missed=%d\n",
				i, name, t.QNs, d, t.PNs, t.AdmitNs, a.Server, st.Jobs, st.Finished, st.Missed)
		}
	}
	fmt.Fprintf(w, "total: misses=%d overruns=%d jitter_samples=%d max_jitter_ns=%d mean_jitter_ns=%d p99_jitter_ns=%d events=%d\n",
		r.Misses, r.Overruns, r.JitterN, r.JitterMax, r.JitterMean, r.JitterP99, r.Events)
	if r.Truncated {
		fmt.Fprintln(w, "note: the segment/release log hit its limit and was truncated")
	}
}

// hwReport is the measured release jitter of a real-time run.
type hwReport struct {
	Clock       string `json:"clock"`
	FrequencyHz uint64 `json:"frequency_hz"`
	Releases    int    `json:"releases"`
	MaxNs       uint64 `json:"max_release_jitter_ns"`
	MeanNs      uint64 `json:"mean_release_jitter_ns"`
	P99Ns       uint64 `json:"p99_release_jitter_ns"`
	Regressions uint64 `json:"clock_regressions"`
}

func (h *hwReport) print(w io.Writer) {
	fmt.Fprintf(w, "hw clock %s at %d Hz: releases=%d release_jitter max_ns=%d mean_ns=%d p99_ns=%d clock_regressions=%d\n",
		h.Clock, h.FrequencyHz, h.Releases, h.MaxNs, h.MeanNs, h.P99Ns, h.Regressions)
}

// runRealTime paces the slices against the hardware timer: each slice
// starts when the timer reaches its nominal start. The release jitter of a
// job is the timer's reading when the scheduler released it minus its
// nominal release time.
func runRealTime(sim *taskset.Sim) *hwReport {
	clk := hwclock.New()
	origin := clk.NowNs()
	var samples []uint64
	for !sim.Done() {
		target := origin + sim.NextSliceNs()
		now := clk.NowNs()
		for now < target {
			// Sleep coarsely, then spin on the timer for the last stretch:
			// the host's sleep overshoots by far more than a timer read.
			if left := target - now; left > 2_000_000 {
				time.Sleep(time.Duration(left - 1_000_000))
			} else {
				runtime.Gosched()
			}
			now = clk.NowNs()
		}
		for _, rel := range sim.Step() {
			samples = append(samples, now-origin-min(rel.AtNs, now-origin))
		}
	}
	h := &hwReport{Clock: clk.Kind(), FrequencyHz: clk.Frequency(), Releases: len(samples), Regressions: clk.Regressions()}
	if len(samples) > 0 {
		var sum uint64
		for _, s := range samples {
			sum += s
		}
		slices.Sort(samples)
		h.MaxNs = samples[len(samples)-1]
		h.MeanNs = sum / uint64(len(samples))
		h.P99Ns = samples[(len(samples)-1)*99/100]
	}
	return h
}

func writeJSON(path string, r taskset.Result, hw *hwReport) error {
	out := struct {
		taskset.Result
		HW *hwReport `json:"hw,omitempty"`
	}{r, hw}
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// gantt draws the schedule: one row per task (first task on top), a bar per
// execution segment, a tick per release, a triangle per deadline and a red
// cross per missed deadline.
type gantt struct {
	r    taskset.Result
	rows int
}

func (g gantt) row(task int) float64 { return float64(g.rows - 1 - task) }

func ms(ns uint64) float64 { return float64(ns) / 1e6 }

var (
	releaseStyle  = draw.LineStyle{Color: color.Gray{Y: 90}, Width: vg.Points(0.8)}
	deadlineGlyph = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(2.5), Shape: draw.PyramidGlyph{}}
	missGlyph     = draw.GlyphStyle{Color: color.RGBA{R: 220, A: 255}, Radius: vg.Points(4.5), Shape: draw.CrossGlyph{}}
)

// Plot implements plot.Plotter: bars, release ticks, deadline and miss marks.
func (g gantt) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, s := range g.r.Segments {
		y := g.row(s.Task)
		x0, x1 := trX(ms(s.StartNs)), trX(ms(s.EndNs))
		y0, y1 := trY(y-0.3), trY(y+0.3)
		c.FillPolygon(plotutil.Color(s.Task), []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
	}
	for _, rel := range g.r.Releases {
		y := g.row(rel.Task)
		x := trX(ms(rel.AtNs))
		c.StrokeLine2(releaseStyle, x, trY(y-0.42), x, trY(y+0.42))
		if rel.DeadlineNs <= g.r.UntilNs {
			c.DrawGlyph(deadlineGlyph, vg.Point{X: trX(ms(rel.DeadlineNs)), Y: trY(y + 0.42)})
		}
	}
	for _, j := range g.r.Jobs {
		if j.Missed {
			c.DrawGlyph(missGlyph, vg.Point{X: trX(ms(j.DeadlineNs)), Y: trY(g.row(j.Task))})
		}
	}
}

// DataRange implements plot.DataRanger: the horizon in ms, one unit per row.
func (g gantt) DataRange() (xmin, xmax, ymin, ymax float64) {
	// Headroom above the top row keeps the legend off the bars.
	return 0, ms(g.r.UntilNs), -0.6, float64(g.rows) + 0.6
}

// legendThumb draws a legend entry with a line style or a glyph.
type legendThumb struct {
	line  *draw.LineStyle
	glyph *draw.GlyphStyle
}

// Thumbnail implements plot.Thumbnailer.
func (l legendThumb) Thumbnail(c *draw.Canvas) {
	mid := vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: (c.Min.Y + c.Max.Y) / 2}
	if l.line != nil {
		c.StrokeLine2(*l.line, mid.X, c.Min.Y, mid.X, c.Max.Y)
	}
	if l.glyph != nil {
		c.DrawGlyph(*l.glyph, mid)
	}
}

func writeGantt(path string, r taskset.Result) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("CBS/EDF schedule (slice %g ms; deadline misses: %d; overruns: %d)", ms(r.SliceNs), r.Misses, r.Overruns)
	p.X.Label.Text = "time (ms)"
	g := gantt{r: r, rows: len(r.Tasks)}
	var ticks []plot.Tick
	rejected := map[int]bool{}
	for _, a := range r.Admissions {
		rejected[a.Task] = a.Error != ""
	}
	for i, t := range r.Tasks {
		name := t.Name
		if name == "" {
			name = "task" + strconv.Itoa(i)
		}
		if rejected[i] {
			name += " (rejected)"
		}
		ticks = append(ticks, plot.Tick{Value: g.row(i), Label: name})
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Add(g)
	x0, x1, y0, y1 := g.DataRange()
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = x0, x1, y0, y1
	p.Legend.Add("release", legendThumb{line: &releaseStyle})
	p.Legend.Add("deadline", legendThumb{glyph: &deadlineGlyph})
	p.Legend.Add("deadline miss", legendThumb{glyph: &missGlyph})
	p.Legend.Top = true
	width := vg.Length(max(16, min(60, float64(r.UntilNs/r.SliceNs)/4))) * vg.Centimeter
	height := vg.Length(4.5+1.2*float64(len(r.Tasks))) * vg.Centimeter
	if err := p.Save(width, height, path); err != nil {
		return errors.Join(fmt.Errorf("writing %s", path), err)
	}
	return nil
}
