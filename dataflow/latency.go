package dataflow

import "sort"

// latency keeps an exact distribution of run durations as (value, count)
// pairs sorted by value. Operators in the reference run at a handful of
// distinct modelled costs, so this stays tiny and the percentiles are exact.
type latency struct {
	vals  []uint64
	cnts  []uint64
	last  int
	total uint64
}

func (l *latency) add(v uint64) {
	l.total++
	if l.last < len(l.vals) && l.vals[l.last] == v {
		l.cnts[l.last]++
		return
	}
	i := sort.Search(len(l.vals), func(i int) bool { return l.vals[i] >= v })
	if i < len(l.vals) && l.vals[i] == v {
		l.cnts[i]++
		l.last = i
		return
	}
	l.vals = append(l.vals, 0)
	l.cnts = append(l.cnts, 0)
	copy(l.vals[i+1:], l.vals[i:])
	copy(l.cnts[i+1:], l.cnts[i:])
	l.vals[i], l.cnts[i], l.last = v, 1, i
}

// percentile returns the nearest-rank p-th percentile (p in 1..100), 0 when
// empty.
func (l *latency) percentile(p uint64) uint64 {
	if l.total == 0 {
		return 0
	}
	rank := (l.total*p + 99) / 100
	if rank == 0 {
		rank = 1
	}
	var cum uint64
	for i, c := range l.cnts {
		cum += c
		if cum >= rank {
			return l.vals[i]
		}
	}
	return l.vals[len(l.vals)-1]
}
