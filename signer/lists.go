package signer

// Small list helpers, written out so that the wasm build links one copy of each: the generic
// slices.SortFunc links a pdqsort per element type (~13 KB of brotli for the signer's four).

// sortByKey orders the n items of a list by key(i), byte-wise, exchanging neighbours with
// swap(i, j). It is an insertion sort: stable, no allocation. The lists are a request's
// headers and query parameters, a handful of items; a thousand (a URL no server accepts)
// take half a million comparisons.
func sortByKey(n int, key func(i int) string, swap func(i, j int)) {
	for i := 1; i < n; i++ {
		for j := i; j > 0 && key(j) < key(j-1); j-- {
			swap(j, j-1)
		}
	}
}

// sortStrings orders ss byte-wise.
func sortStrings(ss []string) {
	sortByKey(len(ss), func(i int) string { return ss[i] }, func(i, j int) { ss[i], ss[j] = ss[j], ss[i] })
}

// sortHeaders orders hs by lower-case name.
func sortHeaders(hs []header) {
	sortByKey(len(hs), func(i int) string { return hs[i].lname }, func(i, j int) { hs[i], hs[j] = hs[j], hs[i] })
}

// contains reports whether s is in list.
func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// inSorted reports whether s is in list, which is sorted byte-wise (a binary search).
func inSorted(list []string, s string) bool {
	lo, hi := 0, len(list)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if list[mid] < s {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo < len(list) && list[lo] == s
}
