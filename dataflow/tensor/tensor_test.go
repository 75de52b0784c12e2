package tensor

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

func mk(t *testing.T, shape []int, data ...float32) *Tensor {
	t.Helper()
	x, err := New(shape, data)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func near(a, b float32) bool { return math.Abs(float64(a-b)) <= 1e-6*math.Max(1, math.Abs(float64(b))) }

func TestNewAndShapeErrors(t *testing.T) {
	if _, err := New([]int{1, 1, 1, 1, 1}, []float32{1}); !errors.Is(err, ErrRank) {
		t.Fatal(err)
	}
	if _, err := New([]int{2, 0}, nil); !errors.Is(err, ErrShape) {
		t.Fatal(err)
	}
	if _, err := New([]int{2, 3}, make([]float32, 5)); !errors.Is(err, ErrShape) {
		t.Fatal(err)
	}
	s := mk(t, nil, 4)
	if s.Rank() != 0 || s.Len() != 1 || len(s.Shape()) != 0 {
		t.Fatal("scalar")
	}
	z, err := Zeros([]int{2, 3, 4})
	if err != nil || z.Len() != 24 || z.Shape()[2] != 4 {
		t.Fatal(err)
	}
	if _, err := Zeros([]int{-1}); !errors.Is(err, ErrShape) {
		t.Fatal(err)
	}
}

func TestElementwise(t *testing.T) {
	a := mk(t, []int{2, 2}, 1, -2, 3, 4)
	b := mk(t, []int{2, 2}, 5, 6, -7, 8)
	s, _ := Add(a, b)
	p, _ := Mul(a, b)
	if !s.Equal(mk(t, []int{2, 2}, 6, 4, -4, 12)) || !p.Equal(mk(t, []int{2, 2}, 5, -12, -21, 32)) {
		t.Fatal(s, p)
	}
	if _, err := Add(a, mk(t, []int{4}, 1, 2, 3, 4)); !errors.Is(err, ErrShapeMismatch) {
		t.Fatal("no broadcasting")
	}
	if _, err := Mul(a, mk(t, []int{1, 4}, 1, 2, 3, 4)); !errors.Is(err, ErrShapeMismatch) {
		t.Fatal("no broadcasting")
	}
	if r := ReLU(a); !r.Equal(mk(t, []int{2, 2}, 1, 0, 3, 4)) || a.Data()[1] != -2 {
		t.Fatal("relu", r)
	}
}

func TestMatMulMatVec(t *testing.T) {
	a := mk(t, []int{2, 3}, 1, 2, 3, 4, 5, 6)
	b := mk(t, []int{3, 2}, 7, 8, 9, 10, 11, 12)
	c, err := MatMul(a, b)
	if err != nil || !c.Equal(mk(t, []int{2, 2}, 58, 64, 139, 154)) {
		t.Fatal(c, err)
	}
	if _, err := MatMul(a, a); !errors.Is(err, ErrShapeMismatch) {
		t.Fatal(err)
	}
	if _, err := MatMul(mk(t, []int{3}, 1, 2, 3), b); !errors.Is(err, ErrShapeMismatch) {
		t.Fatal(err)
	}
	// out[i] = Σ_j v[j]·M[j·n+i]: v (2) × M (2×3).
	v := mk(t, []int{2}, 1, 10)
	m := mk(t, []int{2, 3}, 1, 2, 3, 4, 5, 6)
	o, err := MatVec(v, m)
	if err != nil || !o.Equal(mk(t, []int{3}, 41, 52, 63)) {
		t.Fatal(o, err)
	}
	if _, err := MatVec(mk(t, []int{3}, 1, 2, 3), m); !errors.Is(err, ErrShapeMismatch) {
		t.Fatal(err)
	}
	// Summation in k order in float32: 1e8 + 1 - 1e8 = 0 in float32 (not 1).
	x := mk(t, []int{1, 3}, 1e8, 1, -1e8)
	y := mk(t, []int{3, 1}, 1, 1, 1)
	r, _ := MatMul(x, y)
	if r.Data()[0] != 0 {
		t.Fatalf("sum order: %v", r.Data())
	}
}

func TestSoftmax(t *testing.T) {
	x := mk(t, []int{2, 3}, 1, 2, 3, 1000, 1000, 1000)
	s := Softmax(x)
	e1, e2, e3 := math.Exp(-2), math.Exp(-1), 1.0
	sum := e1 + e2 + e3
	want := []float32{float32(e1 / sum), float32(e2 / sum), float32(e3 / sum), 1.0 / 3, 1.0 / 3, 1.0 / 3}
	for i, v := range s.Data() {
		if !near(v, want[i]) || math.IsNaN(float64(v)) {
			t.Fatalf("softmax %v, want %v", s.Data(), want)
		}
	}
}

func TestLayerNorm(t *testing.T) {
	x := mk(t, []int{4}, 1, 2, 3, 4)
	w := mk(t, []int{4}, 1, 1, 2, 2)
	b := mk(t, []int{4}, 0, 0, 0, 1)
	y, err := LayerNorm(x, w, b)
	if err != nil {
		t.Fatal(err)
	}
	// mean 2.5, population variance 1.25.
	inv := 1 / math.Sqrt(1.25+1e-5)
	want := []float64{-1.5 * inv, -0.5 * inv, 2 * 0.5 * inv, 2*1.5*inv + 1}
	for i, v := range y.Data() {
		if !near(v, float32(want[i])) {
			t.Fatalf("layernorm %v, want %v", y.Data(), want)
		}
	}
	if _, err := LayerNorm(x, mk(t, []int{3}, 1, 1, 1), b); !errors.Is(err, ErrShapeMismatch) {
		t.Fatal(err)
	}
}

func TestGELUAndArgmax(t *testing.T) {
	x := mk(t, []int{5}, -10, -1, 0, 1, 10)
	g := GELU(x).Data()
	tanh := func(u float64) float64 {
		if u > 5 {
			return 1
		}
		if u < -5 {
			return -1
		}
		return u * (27 + u*u) / (27 + 9*u*u)
	}
	for i, v := range x.Data() {
		u := float64(v)
		want := 0.5 * u * (1 + tanh(0.7978845608*(u+0.044715*u*u*u)))
		if !near(g[i], float32(want)) {
			t.Fatalf("gelu(%v) = %v, want %v", v, g[i], want)
		}
	}
	if g[0] != 0 || g[4] != 10 || g[2] != 0 {
		t.Fatalf("gelu clamp: %v", g)
	}
	if i := Argmax(mk(t, []int{5}, 1, 3, 2, 3, 0)); i != 3 {
		t.Fatalf("argmax tie → last, got %d", i)
	}
	nan := float32(math.NaN())
	if i := Argmax(mk(t, []int{3}, nan, 1, nan)); i != 1 {
		t.Fatalf("argmax with NaN: %d", i)
	}
}

func TestHeaderRoundTrip(t *testing.T) {
	for _, shape := range [][]int{nil, {3}, {2, 3}, {2, 1, 4}, {1, 2, 3, 4}} {
		z, _ := Zeros(shape)
		h := z.Header()
		h.SchemaID, h.Quality, h.Lineage = 1001, 77, 123456789
		b, err := h.MarshalBinary()
		if err != nil || len(b) != HeaderSize {
			t.Fatal(err)
		}
		h2, err := ParseHeader(b)
		if err != nil || h2 != h {
			t.Fatalf("%v: %+v != %+v", shape, h2, h)
		}
		back, err := FromHeader(h2, make([]float32, z.Len()))
		if err != nil || !back.Equal(z) {
			t.Fatalf("%v: %v %v", shape, back, err)
		}
	}
	z, _ := Zeros([]int{2, 3})
	h := z.Header()
	if h.Dims != [4]uint64{2, 3, 0, 0} || h.Strides != [4]uint64{3, 1, 0, 0} || h.DataOffset != 128 || h.Version != 1 {
		t.Fatalf("%+v", h)
	}
	bad := []func(h *Header){
		func(h *Header) { h.Version = 2 },
		func(h *Header) { h.DType = 1 },
		func(h *Header) { h.DataOffset = 64 },
		func(h *Header) { h.Strides[0] = 2 },
		func(h *Header) { h.Dims[3] = 5 },
	}
	for i, f := range bad {
		hh := h
		f(&hh)
		if _, err := FromHeader(hh, make([]float32, 6)); !errors.Is(err, ErrShape) {
			t.Errorf("bad header %d accepted", i)
		}
	}
	if _, err := FromHeader(h, make([]float32, 5)); !errors.Is(err, ErrShape) {
		t.Fatal("length mismatch accepted")
	}
	if _, err := ParseHeader(make([]byte, 100)); !errors.Is(err, ErrShape) {
		t.Fatal("short header accepted")
	}
}

// TestMatMulPropagatesNaNAndInf: MatMul is the plain sum Σ_k a[i,k]·b[k,j]
// (§6.2), so a NaN or ±Inf in b reaches the output even where the matching
// element of a is 0 (0·Inf = NaN, 0·NaN = NaN); a BLAS shortcut that skips
// zero elements of a must not hide it. MatVec (Σ_j v[j]·M[j·n+i]) likewise.
func TestMatMulPropagatesNaNAndInf(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	a := mk(t, []int{2, 2}, 0, 1, 2, 0)
	for _, bad := range []float32{nan, inf, -inf} {
		b := mk(t, []int{2, 2}, bad, 3, 4, 5)
		c, err := MatMul(a, b)
		if err != nil {
			t.Fatal(err)
		}
		// Row 0: 0·bad + 1·4 = NaN, 0·3 + 1·5 = 5; row 1: 2·bad + 0·4 = 2·bad, 2·3 + 0·5 = 6.
		want := []float32{nan, 5, 2 * bad, 6}
		for i, w := range want {
			g := c.Data()[i]
			if (w != w) != (g != g) || (w == w && g != w) {
				t.Fatalf("b[0]=%v: matmul %v, want %v", bad, c.Data(), want)
			}
		}
		v := mk(t, []int{2}, 0, 1)
		o, err := MatVec(v, b)
		if err != nil {
			t.Fatal(err)
		}
		if g := o.Data(); g[0] == g[0] || g[1] != 5 {
			t.Fatalf("b[0]=%v: matvec %v, want [NaN 5]", bad, g)
		}
	}
}

// TestMatMulMatchesNaiveSum: for finite operands MatMul equals the naive
// float32 sum in k order bit for bit (no fused multiply-add).
func TestMatMulMatchesNaiveSum(t *testing.T) {
	const m, k, n = 5, 7, 3
	ad, bd := make([]float32, m*k), make([]float32, k*n)
	for i := range ad {
		ad[i] = float32(math.Sin(float64(i)*1.7)) * 1e3
	}
	for i := range bd {
		bd[i] = float32(math.Cos(float64(i)*0.9)) / 3
	}
	ad[3], ad[10] = 0, 0
	c, err := MatMul(mk(t, []int{m, k}, ad...), mk(t, []int{k, n}, bd...))
	if err != nil {
		t.Fatal(err)
	}
	for i := range m {
		for j := range n {
			var s float32
			for l := range k {
				s += float32(ad[i*k+l] * bd[l*n+j])
			}
			if g := c.Data()[i*n+j]; math.Float32bits(g) != math.Float32bits(s) {
				t.Fatalf("c[%d,%d] = %v, naive %v", i, j, g, s)
			}
		}
	}
}

// TestSoftmaxNegativeRowAndGELUClampEdge: the max subtracted is the row's
// own (so an all-negative row far below 0 does not underflow to 0/0), and
// the rational tanh is used up to |x| = 5, where it exceeds 1 (the kernel's
// formula: at 4.322 it is ≈ 1.0125), and clamped only beyond.
func TestSoftmaxNegativeRowAndGELUClampEdge(t *testing.T) {
	s := Softmax(mk(t, []int{2}, -1000, -1001)).Data()
	e := math.Exp(-1)
	if !near(s[0], float32(1/(1+e))) || !near(s[1], float32(e/(1+e))) {
		t.Fatalf("softmax of a negative row: %v", s)
	}
	x := float32(3.5)
	u := 0.7978845608 * (float64(x) + 0.044715*float64(x)*float64(x)*float64(x))
	th := u * (27 + u*u) / (27 + 9*u*u)
	if th <= 1 || u <= 4 || u > 5 {
		t.Fatalf("test point: u %v tanh %v", u, th)
	}
	if g := GELU(mk(t, []int{1}, x)).Data()[0]; !near(g, float32(0.5*float64(x)*(1+th))) {
		t.Fatalf("gelu(%v) = %v, want %v", x, g, 0.5*float64(x)*(1+th))
	}
}

// TestMatMulTiledEqualsWholeGemm: a product big enough for gonum to go
// parallel (here 3×4 output blocks, ragged edges) is computed tile by tile
// on gonum's serial path; the result equals one whole Gemm call and the
// naive in-order sum, bit for bit.
func TestMatMulTiledEqualsWholeGemm(t *testing.T) {
	const m, k, n = 150, 97, 200
	ad, bd := make([]float32, m*k), make([]float32, k*n)
	for i := range ad {
		ad[i] = float32(math.Sin(float64(i)*0.37)) * 7
	}
	for i := range bd {
		bd[i] = float32(math.Cos(float64(i)*1.3)) / 5
	}
	c, err := MatMul(mk(t, []int{m, k}, ad...), mk(t, []int{k, n}, bd...))
	if err != nil {
		t.Fatal(err)
	}
	whole := make([]float32, m*n)
	blas32.Gemm(blas.NoTrans, blas.NoTrans, 1,
		blas32.General{Rows: m, Cols: k, Stride: k, Data: ad},
		blas32.General{Rows: k, Cols: n, Stride: n, Data: bd},
		0, blas32.General{Rows: m, Cols: n, Stride: n, Data: whole})
	for i := range m {
		for j := range n {
			var s float32
			for l := range k {
				s += float32(ad[i*k+l] * bd[l*n+j])
			}
			g := c.Data()[i*n+j]
			if math.Float32bits(g) != math.Float32bits(whole[i*n+j]) || math.Float32bits(g) != math.Float32bits(s) {
				t.Fatalf("c[%d,%d] = %v, whole Gemm %v, naive %v", i, j, g, whole[i*n+j], s)
			}
		}
	}
}
