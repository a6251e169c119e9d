package postgres

import (
	"context"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// pageOf counts the rows of table that cond selects, then reads one page of
// them in order: the shared shape of every small list.
func pageOf[T any](ctx context.Context, q querier, table, columns, cond, order string, args []any, offset, limit int,
	scan func(pgx.Row) (T, error), mapErr func(error) error) ([]T, int, error) {
	var total int
	if err := q.QueryRow(ctx, `SELECT count(*) FROM `+table+cond, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	out := []T{}
	if total == 0 || offset >= total {
		return out, total, nil
	}
	if limit <= 0 {
		limit = total
	}
	n := len(args)
	rows, err := q.Query(ctx, `SELECT `+columns+` FROM `+table+cond+order+
		` LIMIT $`+strconv.Itoa(n+1)+` OFFSET $`+strconv.Itoa(n+2), append(args, limit, offset)...)
	if err != nil {
		return nil, 0, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, 0, mapErr(err)
		}
		out = append(out, v)
	}
	return out, total, mapErr(rows.Err())
}

// whereOf joins a list's conditions into its WHERE clause ("" for none).
func whereOf(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// direction is the SQL of a list's sort direction.
func direction(desc bool) string {
	if desc {
		return " DESC"
	}
	return " ASC"
}
