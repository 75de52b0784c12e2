package dataflow_test

import (
	"fmt"

	"github.com/sisemu/sisemu/dataflow"
	"github.com/sisemu/sisemu/dataflow/tensor"
)

// A three-stage tensor pipeline: each source item is a 2-vector, the
// transform doubles it, the sink collects it.
func Example() {
	src := dataflow.SourceFunc(func(lineage uint64) (*tensor.Tensor, error) {
		return tensor.New([]int{2}, []float32{float32(lineage), -1})
	})
	double := dataflow.TensorFunc(func(t *tensor.Tensor) (*tensor.Tensor, error) { return tensor.Add(t, t) })
	g, sink, err := dataflow.Pipeline(dataflow.Options{}, 2, src, double, dataflow.Map(tensor.ReLU))
	if err != nil {
		panic(err)
	}
	r := g.Run(0, 12, 0)
	items, _ := g.SinkItems(sink)
	for _, it := range items {
		fmt.Println(it.Lineage, it.T.Data())
	}
	st := g.Status()
	fmt.Println("steps", r.Steps, "produced", st.Produced, "consumed", st.Consumed, "in flight", st.InFlight)
	// Output:
	// 0 [0 0]
	// 1 [2 0]
	// 2 [4 0]
	// steps 12 produced 3 consumed 3 in flight 0
}
