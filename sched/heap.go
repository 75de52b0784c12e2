package sched

import "math/bits"

// timerEntry is one server in the timer heap, keyed by its next event time;
// the key is kept inline so sifting touches only the heap array.
type timerEntry struct {
	key uint64
	id  int
}

// timerHeap is a 4-ary min-heap of servers by (next event time, id). The
// position of each server is kept in a separate dense array (pos, indexed
// by server id) so that its key can change in place: sifting then touches
// only the heap and that array, never the server structs, which matters
// once there are thousands of servers.
type timerHeap []timerEntry

func (h timerHeap) less(a, b timerEntry) bool {
	return a.key < b.key || (a.key == b.key && a.id < b.id)
}

func (h *timerHeap) push(pos *[]int32, key uint64, id int) {
	*h = append(*h, timerEntry{key: key, id: id})
	*pos = append(*pos, int32(len(*h)-1))
	h.up(*pos, len(*h)-1)
}

// fix gives server id the key and restores order.
func (h timerHeap) fix(pos []int32, id int, key uint64) {
	i := int(pos[id])
	old := h[i].key
	h[i].key = key
	if key < old {
		h.up(pos, i)
	} else if key > old {
		h.down(pos, i)
	}
}

func (h timerHeap) up(pos []int32, i int) bool {
	e := h[i]
	moved := false
	for i > 0 {
		p := (i - 1) / 4
		if !h.less(e, h[p]) {
			break
		}
		h[i] = h[p]
		pos[h[i].id] = int32(i)
		i = p
		moved = true
	}
	h[i] = e
	pos[e.id] = int32(i)
	return moved
}

func (h timerHeap) down(pos []int32, i int) {
	e := h[i]
	n := len(h)
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		best := c
		for k := c + 1; k < c+4 && k < n; k++ {
			if h.less(h[k], h[best]) {
				best = k
			}
		}
		if !h.less(h[best], e) {
			break
		}
		h[i] = h[best]
		pos[h[i].id] = int32(i)
		i = best
	}
	h[i] = e
	pos[e.id] = int32(i)
}

// readyEntry is one eligible server in the EDF heap.
type readyEntry struct {
	dl uint64
	id int
}

// readyHeap is a 4-ary min-heap of eligible servers by (scheduling
// deadline, id): EDF with ties to the lower id. A server is in it at most
// once; it leaves only through pop, when it is dispatched.
type readyHeap []readyEntry

func readyLess(a, b readyEntry) bool { return a.dl < b.dl || (a.dl == b.dl && a.id < b.id) }

func (h *readyHeap) push(dl uint64, id int) {
	*h = append(*h, readyEntry{dl: dl, id: id})
	q := *h
	i := len(q) - 1
	e := q[i]
	for i > 0 {
		p := (i - 1) / 4
		if !readyLess(e, q[p]) {
			break
		}
		q[i] = q[p]
		i = p
	}
	q[i] = e
}

func (h *readyHeap) pop() int {
	q := *h
	top := q[0].id
	n := len(q) - 1
	e := q[n]
	q = q[:n]
	*h = q
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		best := c
		for k := c + 1; k < c+4 && k < n; k++ {
			if readyLess(q[k], q[best]) {
				best = k
			}
		}
		if !readyLess(q[best], e) {
			break
		}
		q[i] = q[best]
		i = best
	}
	q[i] = e
	return top
}

// sat returns a+b saturated at 2^64-1.
func sat(a, b uint64) uint64 {
	s, c := bits.Add64(a, b, 0)
	if c != 0 {
		return ^uint64(0)
	}
	return s
}

// mulSat returns a·b saturated at 2^64-1.
func mulSat(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	if hi != 0 {
		return ^uint64(0)
	}
	return lo
}

func mul128(a, b uint64) (hi, lo uint64) { return bits.Mul64(a, b) }

// mulDiv returns a·b/c in 128-bit intermediate precision, saturated.
func mulDiv(a, b, c uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	if hi >= c {
		return ^uint64(0)
	}
	q, _ := bits.Div64(hi, lo, c)
	return q
}
