package dataflow

// slot is an item as a channel stores it: pointer-free, so moving items
// between rings needs no GC write barriers and the rings are never
// scanned. A tensor lives in the graph's tensor table; tref indexes it (0:
// the default scalar tensor [scalar]).
type slot struct {
	lineage uint64
	born    uint64
	scalar  float32
	schema  uint32
	tref    uint32
	quality uint16
}

// channel is a bounded FIFO of items. The ring grows by doubling up to the
// requested capacity, so a 65535-slot channel costs memory only once it is
// actually filled.
type channel struct {
	n        uint32 // depth
	capacity uint32
	head     uint32 // index of the oldest item in buf
	mask     uint32 // len(buf)-1
	buf      []slot
	schema   uint32 // bound schema, 0 = none
	traced   uint32 // last depth printed by a ch_depth trace

	highWater uint32
	enqueued  uint64
	dequeued  uint64
	stalls    uint64
}

const initialRing = 8

func newChannel(capacity uint32) channel {
	return channel{capacity: capacity}
}

// reserve returns the slot the next push will fill, so producers can
// write an item in place (building it elsewhere and copying it costs a
// store-forwarding stall per item).
func (c *channel) reserve() *slot {
	if c.n == uint32(len(c.buf)) {
		c.grow()
	}
	return &c.buf[(c.head+c.n)&c.mask]
}

// front returns the oldest item in place (the channel must be non-empty).
func (c *channel) front() *slot { return &c.buf[c.head&c.mask] }

// drop removes the oldest item.
func (c *channel) drop() {
	c.head = (c.head + 1) & c.mask
	c.n--
	c.dequeued++
}

func (c *channel) pop() slot {
	it := *c.front()
	c.drop()
	return it
}

//go:noinline
func (c *channel) grow() {
	size := initialRing
	if len(c.buf) > 0 {
		size = 2 * len(c.buf)
	}
	nb := make([]slot, size)
	mask := uint32(len(c.buf) - 1)
	for i := uint32(0); i < c.n; i++ {
		nb[i] = c.buf[(c.head+i)&mask]
	}
	c.buf, c.head, c.mask = nb, 0, uint32(size-1)
}

// slots returns the queued items, oldest first.
func (c *channel) slots() []slot {
	out := make([]slot, c.n)
	mask := uint32(len(c.buf) - 1)
	for i := uint32(0); i < c.n; i++ {
		out[i] = c.buf[(c.head+i)&mask]
	}
	return out
}
