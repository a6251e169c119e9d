package postgres

// WalkFrom makes st walk the order's index from n matches (see listTerm),
// so that the tests' few sites take both ways.
func WalkFrom(st *Sites, n int) *Sites {
	st.walkMin = n
	return st
}
