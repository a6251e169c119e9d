package postgres

import "context"

// CompactCounts folds customer_counts (for tests).
func (s *Customers) CompactCounts(ctx context.Context) error { return s.compactCounts(ctx) }
