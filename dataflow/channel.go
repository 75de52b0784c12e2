package dataflow

// channel is a bounded FIFO of items. The ring grows by doubling up to the
// requested capacity, so a 65535-slot channel costs memory only once it is
// actually filled.
type channel struct {
	n        uint32 // depth
	capacity uint32
	head     uint32 // index of the oldest item in buf
	mask     uint32 // len(buf)-1
	buf      []Item
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

func (c *channel) full() bool { return c.n >= c.capacity }

func (c *channel) push(it Item) {
	if c.n == uint32(len(c.buf)) {
		c.grow()
	}
	c.buf[(c.head+c.n)&c.mask] = it
	c.n++
	if c.n > c.highWater {
		c.highWater = c.n
	}
	c.enqueued++
}

func (c *channel) pop() Item {
	i := c.head & c.mask
	it := c.buf[i]
	c.buf[i].T = nil // drop the tensor reference
	c.head = (i + 1) & c.mask
	c.n--
	c.dequeued++
	return it
}

func (c *channel) grow() {
	size := initialRing
	if len(c.buf) > 0 {
		size = 2 * len(c.buf)
	}
	nb := make([]Item, size)
	mask := uint32(len(c.buf) - 1)
	for i := uint32(0); i < c.n; i++ {
		nb[i] = c.buf[(c.head+i)&mask]
	}
	c.buf, c.head, c.mask = nb, 0, uint32(size-1)
}

// items returns the queued items, oldest first.
func (c *channel) items() []Item {
	out := make([]Item, c.n)
	mask := uint32(len(c.buf) - 1)
	for i := uint32(0); i < c.n; i++ {
		out[i] = c.buf[(c.head+i)&mask]
	}
	return out
}
