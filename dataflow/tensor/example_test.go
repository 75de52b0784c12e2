package tensor_test

import (
	"fmt"

	"github.com/sisemu/sisemu/dataflow/tensor"
)

// A tiny dense layer: x·W, ReLU, softmax, argmax.
func Example() {
	x, _ := tensor.New([]int{1, 2}, []float32{1, 2})
	w, _ := tensor.New([]int{2, 3}, []float32{1, 0, -1, 0, 1, 1})
	h, err := tensor.MatMul(x, w)
	if err != nil {
		panic(err)
	}
	p := tensor.Softmax(tensor.ReLU(h))
	fmt.Println(h.Data(), tensor.Argmax(p))
	_, err = tensor.MatMul(w, w)
	fmt.Println(err)
	// Output:
	// [1 2 1] 1
	// tensor: shape mismatch: matmul [2 3] by [2 3]
}
