package dataflow

import (
	"github.com/sisemu/sisemu/dataflow/tensor"
	"github.com/sisemu/sisemu/sched/clock"
)

// DefaultQuality is the quality of a new item (kernel header field, 0–100).
const DefaultQuality = 100

// Item is one entry of a channel: a tensor plus the kernel header's
// metadata. Items are values; moving one between channels copies a few
// words and never the tensor data.
type Item struct {
	// Lineage is the graph-wide sequence number of the source run that
	// created the item, from 0.
	Lineage uint64
	// Schema is the schema id: the producing operator's out_schema, else
	// the input item's, else 0.
	Schema uint32
	// Quality is the kernel header's quality, 0–100.
	Quality uint16
	// Born is the virtual time at which a source created the item.
	Born clock.Ticks
	// Scalar is the value of the default 1-element tensor while T is nil:
	// sources without a function produce float32(Lineage) this way, so the
	// common case allocates nothing.
	Scalar float32
	// T is the item's tensor; nil means the 1-element tensor [Scalar].
	T *tensor.Tensor
}

// Tensor returns the item's tensor, materialising the default 1-element
// tensor when T is nil.
func (it Item) Tensor() *tensor.Tensor {
	if it.T != nil {
		return it.T
	}
	return tensor.Scalar1(it.Scalar)
}

// Header returns the kernel tensor header for the item: the tensor's shape
// with the item's schema, quality and lineage.
func (it Item) Header() tensor.Header {
	h := it.Tensor().Header()
	h.SchemaID = it.Schema
	h.Quality = it.Quality
	h.Lineage = it.Lineage
	return h
}

// Func is an operator's function. For a source, in is the new item (lineage,
// schema, quality and the default scalar already set) and the result is
// enqueued; for a transform, in is the dequeued item and the result is
// enqueued; for a sink, the result is ignored. An error moves the item to
// the graph's failed list (it is never silently dropped).
type Func func(in Item) (Item, error)

// TensorFunc adapts a tensor operation to an operator function: the item's
// tensor goes in, the result replaces it, the metadata is kept.
func TensorFunc(f func(*tensor.Tensor) (*tensor.Tensor, error)) Func {
	return func(in Item) (Item, error) {
		t, err := f(in.Tensor())
		if err != nil {
			return in, err
		}
		in.T = t
		return in, nil
	}
}

// Map adapts an infallible tensor operation (ReLU, Softmax, GELU).
func Map(f func(*tensor.Tensor) *tensor.Tensor) Func {
	return func(in Item) (Item, error) {
		in.T = f(in.Tensor())
		return in, nil
	}
}

// SourceFunc adapts a generator to a source function: gen receives the new
// item's lineage and returns its tensor.
func SourceFunc(gen func(lineage uint64) (*tensor.Tensor, error)) Func {
	return func(in Item) (Item, error) {
		t, err := gen(in.Lineage)
		if err != nil {
			return in, err
		}
		in.T = t
		return in, nil
	}
}
