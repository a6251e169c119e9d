package postgres

import "context"

// CompactCounts folds customer_counts (for tests).
func (s *Customers) CompactCounts(ctx context.Context) error { return s.compactCounts(ctx) }

// SetWalkLimits changes the bounds of word searches' walks (for tests).
func (s *Customers) SetWalkLimits(expected, scanMin, scanMax int) {
	s.walk.expected, s.walk.scanMin, s.walk.scanMax = expected, scanMin, scanMax
}

// Walks returns how many word-search walks answered and how many fell
// short (for tests).
func (s *Customers) Walks() (walked, fellShort int64) {
	return s.walk.walked.Load(), s.walk.fellShort.Load()
}

// Chain is chain (for tests).
func Chain(words []string) bool { return chain(words) }
