// Package tensor is sisemu's float32 tensor API for dataflow operators
// (dataflow.md §6.2): row-major contiguous tensors of rank 0–4, the
// element-wise and matrix operations the SIS kernel's transformer uses, and
// the kernel's 128-byte tensor header.
//
// Shape problems are returned as errors (ErrRank, ErrShape,
// ErrShapeMismatch), never panics. Matrix products go through gonum's
// float32 BLAS (gonum.org/v1/gonum/blas/blas32), which accumulates each
// output element in index order in float32, as the kernel does. Every
// operation returns a new tensor; inputs are never modified.
package tensor

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// MaxRank is the largest rank a tensor (and the kernel header) can hold.
const MaxRank = 4

// Sentinel errors.
var (
	// ErrRank: rank outside 0..4.
	ErrRank = errors.New("tensor: rank must be 0..4")
	// ErrShape: a dimension < 1, or data length ≠ product of dims, or an
	// inconsistent header.
	ErrShape = errors.New("tensor: bad shape")
	// ErrShapeMismatch: operand shapes do not fit the operation.
	ErrShapeMismatch = errors.New("tensor: shape mismatch")
)

// Tensor is a float32 tensor, row-major and contiguous. The zero value is
// not a valid tensor; build one with New or Zeros.
type Tensor struct {
	shape [MaxRank]int
	rank  int
	data  []float32
}

func checkShape(shape []int) (n int, err error) {
	if len(shape) > MaxRank {
		return 0, fmt.Errorf("%w: got %d", ErrRank, len(shape))
	}
	n = 1
	for i, d := range shape {
		if d < 1 {
			return 0, fmt.Errorf("%w: dim %d is %d", ErrShape, i, d)
		}
		if n > math.MaxInt32/d {
			return 0, fmt.Errorf("%w: too many elements", ErrShape)
		}
		n *= d
	}
	return n, nil
}

// New builds a tensor of the given shape over data, which it takes over (no
// copy): the caller must not modify data afterwards. A nil shape is a
// scalar (rank 0, one element).
func New(shape []int, data []float32) (*Tensor, error) {
	n, err := checkShape(shape)
	if err != nil {
		return nil, err
	}
	if len(data) != n {
		return nil, fmt.Errorf("%w: %d elements for shape %v (want %d)", ErrShape, len(data), shape, n)
	}
	t := &Tensor{rank: len(shape), data: data}
	copy(t.shape[:], shape)
	return t, nil
}

// Zeros builds a zero-filled tensor of the given shape.
func Zeros(shape []int) (*Tensor, error) {
	n, err := checkShape(shape)
	if err != nil {
		return nil, err
	}
	return New(shape, make([]float32, n))
}

// Scalar1 builds the 1-element rank-1 tensor [v] that dataflow sources
// produce by default.
func Scalar1(v float32) *Tensor {
	return &Tensor{shape: [MaxRank]int{1}, rank: 1, data: []float32{v}}
}

// Rank returns the number of dimensions.
func (t *Tensor) Rank() int { return t.rank }

// Shape returns a copy of the dimensions.
func (t *Tensor) Shape() []int { return append([]int(nil), t.shape[:t.rank]...) }

// Len returns the number of elements.
func (t *Tensor) Len() int { return len(t.data) }

// Data returns the elements in row-major order. The slice aliases the
// tensor: treat it as read-only.
func (t *Tensor) Data() []float32 { return t.data }

// Clone returns a deep copy.
func (t *Tensor) Clone() *Tensor {
	c := *t
	c.data = append([]float32(nil), t.data...)
	return &c
}

// Equal reports identical shapes and bit-identical elements (NaN equal to
// NaN with the same bits).
func (t *Tensor) Equal(u *Tensor) bool {
	if t.rank != u.rank || t.shape != u.shape || len(t.data) != len(u.data) {
		return false
	}
	for i, v := range t.data {
		if math.Float32bits(v) != math.Float32bits(u.data[i]) {
			return false
		}
	}
	return true
}

func (t *Tensor) sameShape(u *Tensor) bool { return t.rank == u.rank && t.shape == u.shape }

func (t *Tensor) like() *Tensor {
	c := *t
	c.data = make([]float32, len(t.data))
	return &c
}

// String formats shape and values, for test failure messages.
func (t *Tensor) String() string { return fmt.Sprintf("tensor%v%v", t.Shape(), t.data) }

// Add returns a+b element-wise; shapes must be identical (no broadcasting).
func Add(a, b *Tensor) (*Tensor, error) {
	if !a.sameShape(b) {
		return nil, fmt.Errorf("%w: add %v and %v", ErrShapeMismatch, a.Shape(), b.Shape())
	}
	out := a.like()
	for i, v := range a.data {
		out.data[i] = v + b.data[i]
	}
	return out, nil
}

// Mul returns a·b element-wise; shapes must be identical.
func Mul(a, b *Tensor) (*Tensor, error) {
	if !a.sameShape(b) {
		return nil, fmt.Errorf("%w: mul %v and %v", ErrShapeMismatch, a.Shape(), b.Shape())
	}
	out := a.like()
	for i, v := range a.data {
		out.data[i] = v * b.data[i]
	}
	return out, nil
}

// MatMul returns the matrix product of rank-2 tensors (m×k)·(k×n) → m×n,
// each element summed over k in index order in float32.
func MatMul(a, b *Tensor) (*Tensor, error) {
	if a.rank != 2 || b.rank != 2 || a.shape[1] != b.shape[0] {
		return nil, fmt.Errorf("%w: matmul %v by %v", ErrShapeMismatch, a.Shape(), b.Shape())
	}
	m, k, n := a.shape[0], a.shape[1], b.shape[1]
	out := &Tensor{shape: [MaxRank]int{m, n}, rank: 2, data: make([]float32, m*n)}
	if !finite(b.data) {
		// gonum's Gemm skips the terms whose element of a is 0, which
		// would drop 0·Inf and 0·NaN (= NaN) from the sum: add every
		// term, in the same order.
		for i := range m {
			row := out.data[i*n : (i+1)*n]
			for l, av := range a.data[i*k : (i+1)*k] {
				for j, bv := range b.data[l*n : (l+1)*n] {
					row[j] += float32(av * bv)
				}
			}
		}
		return out, nil
	}
	// gonum computes products of 4 or more 64×64 output blocks on worker
	// goroutines. Handing it one output tile at a time keeps every call on
	// its serial path, so the subsystem starts no goroutine; each element
	// is still the same sum over k in the same order, bit for bit.
	for i0 := 0; i0 < m; i0 += gemmTile {
		li := min(gemmTile, m-i0)
		for j0 := 0; j0 < n; j0 += gemmTile {
			lj := min(gemmTile, n-j0)
			blas32.Gemm(blas.NoTrans, blas.NoTrans, 1,
				blas32.General{Rows: li, Cols: k, Stride: k, Data: a.data[i0*k:]},
				blas32.General{Rows: k, Cols: lj, Stride: n, Data: b.data[j0:]},
				0, blas32.General{Rows: li, Cols: lj, Stride: n, Data: out.data[i0*n+j0:]})
		}
	}
	return out, nil
}

// gemmTile is gonum's block size: one tile is one block, below its
// threshold for going parallel.
const gemmTile = 64

// finite reports whether no element is NaN or ±Inf.
func finite(d []float32) bool {
	for _, v := range d {
		if v-v != 0 {
			return false
		}
	}
	return true
}

// MatVec is the kernel's vector×matrix: v has m elements (rank 1), M is
// m×n row-major, and out[i] = Σ_j v[j]·M[j·n+i] summed over j in order.
func MatVec(v, M *Tensor) (*Tensor, error) {
	if v.rank != 1 || M.rank != 2 || M.shape[0] != v.shape[0] {
		return nil, fmt.Errorf("%w: matvec %v by %v", ErrShapeMismatch, v.Shape(), M.Shape())
	}
	m, n := M.shape[0], M.shape[1]
	out := &Tensor{shape: [MaxRank]int{n}, rank: 1, data: make([]float32, n)}
	blas32.Gemv(blas.Trans, 1,
		blas32.General{Rows: m, Cols: n, Stride: n, Data: M.data},
		blas32.Vector{N: m, Inc: 1, Data: v.data},
		0, blas32.Vector{N: n, Inc: 1, Data: out.data})
	return out, nil
}

// ReLU returns max(0, x) element-wise.
func ReLU(t *Tensor) *Tensor {
	out := t.like()
	for i, v := range t.data {
		if v > 0 {
			out.data[i] = v
		}
	}
	return out
}

// lastAxis returns the length of the last axis (1 for a scalar).
func (t *Tensor) lastAxis() int {
	if t.rank == 0 {
		return 1
	}
	return t.shape[t.rank-1]
}

// Softmax normalises over the last axis, subtracting each row's maximum
// before exponentiating (the kernel's numerically safe form).
func Softmax(t *Tensor) *Tensor {
	out := t.like()
	n := t.lastAxis()
	for off := 0; off < len(t.data); off += n {
		row, dst := t.data[off:off+n], out.data[off:off+n]
		mx := row[0]
		for _, v := range row[1:] {
			if v > mx {
				mx = v
			}
		}
		var sum float32
		for i, v := range row {
			e := float32(math.Exp(float64(v - mx)))
			dst[i] = e
			sum += e
		}
		for i := range dst {
			dst[i] /= sum
		}
	}
	return out
}

// LayerEps is the layer-norm epsilon of the kernel's transformer.
const LayerEps = 1e-5

// LayerNorm normalises over the last axis with population variance and
// ε = 1e-5, then scales by w and shifts by b (both rank 1, length of the
// last axis).
func LayerNorm(x, w, b *Tensor) (*Tensor, error) {
	n := x.lastAxis()
	if w.rank != 1 || b.rank != 1 || w.shape[0] != n || b.shape[0] != n {
		return nil, fmt.Errorf("%w: layernorm %v with weight %v bias %v", ErrShapeMismatch, x.Shape(), w.Shape(), b.Shape())
	}
	out := x.like()
	for off := 0; off < len(x.data); off += n {
		row, dst := x.data[off:off+n], out.data[off:off+n]
		var mean float32
		for _, v := range row {
			mean += v
		}
		mean /= float32(n)
		var variance float32
		for _, v := range row {
			d := v - mean
			variance += d * d
		}
		variance /= float32(n)
		inv := 1 / float32(math.Sqrt(float64(variance+LayerEps)))
		for i, v := range row {
			dst[i] = (v-mean)*inv*w.data[i] + b.data[i]
		}
	}
	return out, nil
}

// tanhApprox is the kernel's rational tanh: x(27+x²)/(27+9x²), clamped to
// ±1 for |x| > 5.
func tanhApprox(x float32) float32 {
	switch {
	case x > 5:
		return 1
	case x < -5:
		return -1
	}
	x2 := x * x
	return x * (27 + x2) / (27 + 9*x2)
}

// GELU applies the kernel's tanh-approximated GELU element-wise:
// 0.5·x·(1+tanh(0.7978845608·(x+0.044715·x³))).
func GELU(t *Tensor) *Tensor {
	out := t.like()
	for i, x := range t.data {
		out.data[i] = 0.5 * x * (1 + tanhApprox(0.7978845608*(x+0.044715*x*x*x)))
	}
	return out
}

// Argmax returns the flat index of the largest element; among equal maxima
// the last one wins (the kernel's tie rule). NaNs are never chosen unless
// every element is NaN (then 0).
func Argmax(t *Tensor) int {
	best := -1
	for i, v := range t.data {
		if v != v {
			continue
		}
		if best < 0 || v >= t.data[best] {
			best = i
		}
	}
	if best < 0 {
		return 0
	}
	return best
}
