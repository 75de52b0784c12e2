package dataflow

import "sort"

// latency keeps an exact distribution of run durations as (value, count)
// pairs sorted by value. Operators in the reference run at a handful of
// distinct modelled costs, so this stays tiny and the percentiles are exact.
type latency struct {
	vals []uint64
	cnts []uint64
	// cur/curN is a run of equal samples not yet merged into vals/cnts:
	// steps mostly repeat the same cost, and counting them is one compare.
	cur, curN uint64
}

func (l *latency) add(v uint64) {
	if v == l.cur {
		l.curN++
		return
	}
	l.addSlow(v)
}

func (l *latency) addSlow(v uint64) {
	l.flush()
	l.cur, l.curN = v, 1
}

// flush merges the pending run into the sorted distribution.
func (l *latency) flush() {
	if l.curN == 0 {
		return
	}
	v, n := l.cur, l.curN
	l.curN = 0
	i := sort.Search(len(l.vals), func(i int) bool { return l.vals[i] >= v })
	if i < len(l.vals) && l.vals[i] == v {
		l.cnts[i] += n
		return
	}
	l.vals = append(l.vals, 0)
	l.cnts = append(l.cnts, 0)
	copy(l.vals[i+1:], l.vals[i:])
	copy(l.cnts[i+1:], l.cnts[i:])
	l.vals[i], l.cnts[i] = v, n
}

// percentile returns the nearest-rank p-th percentile (p in 1..100), 0 when
// empty.
func (l *latency) percentile(p uint64) uint64 {
	l.flush()
	var total uint64
	for _, c := range l.cnts {
		total += c
	}
	if total == 0 {
		return 0
	}
	rank := (total*p + 99) / 100
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
