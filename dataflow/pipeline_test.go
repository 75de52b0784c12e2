package dataflow

import (
	"math"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"

	"github.com/sisemu/sisemu/dataflow/tensor"
)

// TestTensorPipelineMatchesGonum runs source → matmul → ReLU → softmax →
// sink and compares every sink item bit for bit with the same computation
// done directly with gonum's BLAS and plain loops.
func TestTensorPipelineMatchesGonum(t *testing.T) {
	const k, n = 4, 3
	wdata := []float32{0.5, -1, 2, 1.5, 0.25, -0.75, -2, 1, 0.5, 0.1, 0.2, 0.3}
	w, err := tensor.New([]int{k, n}, wdata)
	if err != nil {
		t.Fatal(err)
	}
	input := func(lineage uint64) []float32 {
		f := float32(lineage)
		return []float32{f, -f / 2, 1 - f, f * f / 10}
	}
	src := SourceFunc(func(lineage uint64) (*tensor.Tensor, error) { return tensor.New([]int{1, k}, input(lineage)) })
	mm := TensorFunc(func(x *tensor.Tensor) (*tensor.Tensor, error) { return tensor.MatMul(x, w) })
	g, sink, err := Pipeline(Options{}, 3, src, mm, Map(tensor.ReLU), Map(tensor.Softmax))
	if err != nil {
		t.Fatal(err)
	}
	res := g.Run(0, 500, 0)
	items, _ := g.SinkItems(sink)
	if len(items) < 90 || res.Steps != 500 {
		t.Fatalf("only %d items in %d steps", len(items), res.Steps)
	}
	for i, it := range items {
		if it.Lineage != uint64(i) {
			t.Fatalf("item %d has lineage %d", i, it.Lineage)
		}
		want := make([]float32, n)
		blas32.Gemm(blas.NoTrans, blas.NoTrans, 1,
			blas32.General{Rows: 1, Cols: k, Stride: k, Data: input(uint64(i))},
			blas32.General{Rows: k, Cols: n, Stride: n, Data: wdata},
			0, blas32.General{Rows: 1, Cols: n, Stride: n, Data: want})
		mx := float32(0)
		for j := range want {
			want[j] = max(want[j], 0)
			mx = max(mx, want[j])
		}
		var sum float32
		for j := range want {
			want[j] = float32(math.Exp(float64(want[j] - mx)))
			sum += want[j]
		}
		for j := range want {
			want[j] /= sum
		}
		got := it.T.Data()
		if s := it.T.Shape(); len(s) != 2 || s[0] != 1 || s[1] != n {
			t.Fatalf("item %d shape %v", i, s)
		}
		for j := range want {
			if math.Float32bits(got[j]) != math.Float32bits(want[j]) {
				t.Fatalf("item %d: %v, want %v", i, got, want)
			}
		}
	}
	st := g.Status()
	if st.Produced != st.Consumed+st.InFlight || st.Failed != 0 {
		t.Fatalf("%+v", st)
	}
}

const benchCap = 64

// graphItems pushes n items through a 4-stage source → transform →
// transform → sink graph and returns how many reached the sink.
func graphItems(n uint64) uint64 {
	g, _ := New(Options{})
	for range 3 {
		g.AddChannel(benchCap)
	}
	g.AddOperator(OperatorSpec{ID: 0, In: NoChannel, Out: 0, Priority: 10})
	g.AddOperator(OperatorSpec{ID: 1, In: 0, Out: 1, Priority: 10})
	g.AddOperator(OperatorSpec{ID: 2, In: 1, Out: 2, Priority: 10})
	g.AddOperator(OperatorSpec{ID: 3, In: 2, Out: NoChannel, Priority: 10})
	// Equal priorities, later-added first: every item takes exactly four
	// steps (source, transform, transform, sink).
	g.Run(0, 4*n, 0)
	return g.consumed
}

// goroutineItems is the plain Go baseline: four goroutines joined by
// buffered channels of the same capacity, carrying the same Item type.
func goroutineItems(n uint64) uint64 {
	a, b, c := make(chan Item, benchCap), make(chan Item, benchCap), make(chan Item, benchCap)
	done := make(chan uint64)
	go func() {
		for i := range n {
			a <- Item{Lineage: i, Quality: DefaultQuality, Scalar: float32(i)}
		}
		close(a)
	}()
	go func() {
		for it := range a {
			b <- it
		}
		close(b)
	}()
	go func() {
		for it := range b {
			c <- it
		}
		close(c)
	}()
	go func() {
		var k uint64
		for range c {
			k++
		}
		done <- k
	}()
	return <-done
}

func BenchmarkPipeline4(b *testing.B) {
	b.Run("graph", func(b *testing.B) {
		b.ReportAllocs()
		if got := graphItems(uint64(b.N)); got != uint64(b.N) {
			b.Fatal(got)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mitems/s")
	})
	b.Run("goroutines", func(b *testing.B) {
		b.ReportAllocs()
		if got := goroutineItems(uint64(b.N)); got != uint64(b.N) {
			b.Fatal(got)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mitems/s")
	})
}

// BenchmarkPipeline4Ratio times both pipelines on the same item count in
// one run and reports graph items/s divided by goroutine items/s (the
// issue's target: ≥ 5).
func BenchmarkPipeline4Ratio(b *testing.B) {
	const items = 200_000
	var tg, tr time.Duration
	for range b.N {
		t0 := time.Now()
		graphItems(items)
		t1 := time.Now()
		goroutineItems(items)
		tg += t1.Sub(t0)
		tr += time.Since(t1)
	}
	b.ReportMetric(float64(tr)/float64(tg), "ratio")
	b.ReportMetric(float64(items*b.N)/tg.Seconds()/1e6, "graph-Mitems/s")
	b.ReportMetric(float64(items*b.N)/tr.Seconds()/1e6, "goroutine-Mitems/s")
}
