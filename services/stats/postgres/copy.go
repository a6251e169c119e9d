package postgres

import (
	"bytes"
	"encoding/binary"
	"time"

	"github.com/hostplane/hostplane/services/stats/traffic"
)

// copyEvents is the COPY statement of the raw log, binary format, in the
// column order eventsCopy writes.
const copyEvents = `COPY events (site_id, batch, pos, type, at, visitor, path, bytes, ref, form_id, status, amount, currency,
	quantity, threshold, user_id) FROM STDIN (FORMAT binary)`

// pgEpoch is the origin of PostgreSQL's binary timestamps.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// eventsCopy writes a batch's events as a COPY binary stream: built here
// directly rather than value by value through pgx's type map, which costs
// several times more for a thousand rows of sixteen columns.
func eventsCopy(buf *bytes.Buffer, siteID, batch int64, evs []traffic.Event) {
	b := buf.AvailableBuffer()
	b = append(b, "PGCOPY\n\xff\r\n\x00"...)
	b = binary.BigEndian.AppendUint32(b, 0) // flags
	b = binary.BigEndian.AppendUint32(b, 0) // header extension
	i8 := func(b []byte, v int64) []byte {
		b = binary.BigEndian.AppendUint32(b, 8)
		return binary.BigEndian.AppendUint64(b, uint64(v))
	}
	i2 := func(b []byte, v int16) []byte {
		b = binary.BigEndian.AppendUint32(b, 2)
		return binary.BigEndian.AppendUint16(b, uint16(v))
	}
	text := func(b []byte, s string) []byte {
		if s == "" {
			return binary.BigEndian.AppendUint32(b, 0xffffffff) // NULL
		}
		b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
		return append(b, s...)
	}
	for i := range evs {
		e := &evs[i]
		b = binary.BigEndian.AppendUint16(b, 16)
		b = i8(b, siteID)
		b = i8(b, batch)
		b = binary.BigEndian.AppendUint32(b, 4)
		b = binary.BigEndian.AppendUint32(b, uint32(i))
		b = i2(b, int16(e.Type))
		b = i8(b, e.At.Sub(pgEpoch).Microseconds())
		b = text(b, e.Visitor)
		b = text(b, e.Path)
		b = i8(b, e.Bytes)
		b = text(b, e.Ref)
		b = text(b, e.FormID)
		b = i2(b, int16(e.Status))
		b = i8(b, e.Amount)
		b = text(b, e.Currency)
		b = i8(b, e.Quantity)
		b = i8(b, e.Threshold)
		b = text(b, e.UserID)
	}
	b = binary.BigEndian.AppendUint16(b, 0xffff) // trailer
	buf.Write(b)
}
