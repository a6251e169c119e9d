package postgres

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"strconv"

	"github.com/cespare/xxhash/v2"
)

// hashChunk is how many rows a table's checksum hashes together: the
// checksum is the xxhash64 of the xxhash64s of its rows taken hashChunk at
// a time, in the order they were read, so that a table can be read back in
// parts (whole chunks each) and checked against what one stream sent.
const hashChunk = 8192

// copySignature opens PostgreSQL's binary COPY format.
var copySignature = []byte("PGCOPY\n\xff\r\n\x00")

// rowHasher computes the sum of a binary COPY TO stream, given one
// CopyData message per Write: PostgreSQL sends one per row, the first one
// carrying the header too, and the trailer alone. The header and trailer
// are not hashed (a part read back has its own).
type rowHasher struct {
	rows    int64
	started bool
	ended   bool
	cur     *xxhash.Digest
	chunks  []byte
}

func newRowHasher() *rowHasher { return &rowHasher{cur: xxhash.New()} }

var errCopyFraming = errors.New("not a binary COPY stream of one row per message")

func (h *rowHasher) Write(p []byte) (int, error) {
	n := len(p)
	if !h.started {
		h.started = true
		if len(p) < 19 || !bytes.Equal(p[:11], copySignature) {
			return 0, errCopyFraming
		}
		ext := uint64(binary.BigEndian.Uint32(p[15:19]))
		if uint64(len(p)) < 19+ext {
			return 0, errCopyFraming
		}
		if p = p[19+ext:]; len(p) == 0 {
			return n, nil
		}
	}
	if h.ended {
		return 0, errCopyFraming
	}
	if len(p) == 2 && p[0] == 0xff && p[1] == 0xff { // field count -1: the trailer
		h.ended = true
		return n, nil
	}
	_, _ = h.cur.Write(p)
	h.rows++
	if h.rows%hashChunk == 0 {
		h.chunks = binary.BigEndian.AppendUint64(h.chunks, h.cur.Sum64())
		h.cur.Reset()
	}
	return n, nil
}

// parts are the hashes of the hasher's chunks, the last one partial.
func (h *rowHasher) parts() []byte {
	if h.rows%hashChunk == 0 {
		return h.chunks
	}
	return binary.BigEndian.AppendUint64(slices.Clip(h.chunks), h.cur.Sum64())
}

// joinSums is the sum of a table read in consecutive parts (each but the
// last a whole number of chunks), or in one.
func joinSums(hs ...*rowHasher) sum {
	var rows int64
	var all []byte
	for _, h := range hs {
		rows += h.rows
		all = append(all, h.parts()...)
	}
	return sum{Rows: rows, Hash: strconv.FormatUint(xxhash.Sum64(all), 16)}
}
