package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// tableDef is what is needed to recreate a shared table elsewhere: its
// columns, constraints, indexes and sequences, read from the catalog (the
// way pg_dump does for one table, for the column types, defaults and
// constraints PostgreSQL itself can print).
type tableDef struct {
	Name        string
	Columns     []columnDef
	Constraints []constraintDef
	// Indexes are CREATE INDEX statements of indexes that back no
	// constraint.
	Indexes   []string
	Sequences []sequenceDef
}

type columnDef struct {
	Name      string
	Type      string
	Collation string // "" when the type's default
	NotNull   bool
	Default   string
	Identity  string // "a" always, "d" by default, "" none
	Generated string // "s" stored generated column, "" none
}

type constraintDef struct {
	Name string
	Type string // p u x c f
	Def  string
	// Index and IndexDef are the name and CREATE INDEX statement of the
	// index behind a primary key or unique constraint ("" otherwise).
	Index, IndexDef string
	Deferrable      bool
}

// byIndex reports whether the constraint is added on an index built
// beforehand (ADD CONSTRAINT ... USING INDEX): a primary key or unique
// constraint that is not deferrable.
func (c constraintDef) byIndex() bool {
	return (c.Type == "p" || c.Type == "u") && !c.Deferrable && c.Index != "" && c.IndexDef != ""
}

// sequenceDef is a sequence owned by a column: a serial's, or an identity's.
type sequenceDef struct {
	Name      string
	Column    string
	Identity  bool
	Type      string
	Start     int64
	Increment int64
	Min, Max  int64
	Cache     int64
	Cycle     bool
	LastValue int64
	IsCalled  bool
}

// copyColumns lists the columns COPY carries (not the generated ones).
func (t *tableDef) copyColumns() string {
	var cols []string
	for _, c := range t.Columns {
		if c.Generated == "" {
			cols = append(cols, ident(c.Name))
		}
	}
	return strings.Join(cols, ", ")
}

// siteTables lists site siteID's tables in the public schema of the
// shared database, and refuses relations the copy cannot move (views,
// partitioned, inherited or triggered tables, other schemas).
func siteTables(ctx context.Context, q pgx.Tx, siteID int64) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT n.nspname, c.relname, c.relkind,
			EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid OR i.inhparent = c.oid),
			EXISTS (SELECT 1 FROM pg_trigger tg WHERE tg.tgrelid = c.oid AND NOT tg.tgisinternal)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relname LIKE $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
		  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
		ORDER BY c.relname`, likePrefix(sitePrefix(siteID)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names, refused []string
	for rows.Next() {
		var schema, name, kind string
		var inherits, triggers bool
		if err := rows.Scan(&schema, &name, &kind, &inherits, &triggers); err != nil {
			return nil, err
		}
		switch {
		case schema != "public":
			refused = append(refused, schema+"."+name+" (outside the public schema)")
		case kind != "r":
			refused = append(refused, name+" (not an ordinary table)")
		case inherits:
			refused = append(refused, name+" (inheritance)")
		case triggers:
			refused = append(refused, name+" (triggers)")
		default:
			names = append(names, name)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(refused) > 0 {
		return nil, fmt.Errorf("cannot move %s: copy or drop them by hand first", strings.Join(refused, ", "))
	}
	return names, nil
}

// describe reads the definition of table name (public schema).
func describe(ctx context.Context, q pgx.Tx, name string) (tableDef, error) {
	t := tableDef{Name: name}
	rel := "public." + ident(name)
	rows, err := q.Query(ctx, `SELECT a.attname, format_type(a.atttypid, a.atttypmod),
			CASE WHEN a.attcollation <> 0 AND a.attcollation <> ty.typcollation
				THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) ELSE '' END,
			a.attnotnull, coalesce(pg_get_expr(d.adbin, d.adrelid), ''), a.attidentity::text, a.attgenerated::text
		FROM pg_attribute a
		JOIN pg_type ty ON ty.oid = a.atttypid
		LEFT JOIN pg_collation co ON co.oid = a.attcollation
		LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
		LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY a.attnum`, rel)
	if err != nil {
		return t, err
	}
	for rows.Next() {
		var c columnDef
		if err := rows.Scan(&c.Name, &c.Type, &c.Collation, &c.NotNull, &c.Default, &c.Identity, &c.Generated); err != nil {
			rows.Close()
			return t, err
		}
		t.Columns = append(t.Columns, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return t, err
	}

	rows, err = q.Query(ctx, `SELECT conname, contype::text, pg_get_constraintdef(oid),
			CASE WHEN contype IN ('p', 'u') THEN coalesce((SELECT relname FROM pg_class WHERE oid = conindid), '') ELSE '' END,
			CASE WHEN contype IN ('p', 'u') AND conindid <> 0 THEN pg_get_indexdef(conindid) ELSE '' END,
			condeferrable
		FROM pg_constraint WHERE conrelid = $1::regclass AND contype IN ('p', 'u', 'x', 'c', 'f')
		ORDER BY CASE contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'x' THEN 2 WHEN 'c' THEN 3 ELSE 4 END, conname`, rel)
	if err != nil {
		return t, err
	}
	t.Constraints, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (constraintDef, error) {
		var c constraintDef
		err := r.Scan(&c.Name, &c.Type, &c.Def, &c.Index, &c.IndexDef, &c.Deferrable)
		return c, err
	})
	if err != nil {
		return t, err
	}

	rows, err = q.Query(ctx, `SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
		WHERE i.indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c
			WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x'))
		ORDER BY i.indexrelid`, rel)
	if err != nil {
		return t, err
	}
	if t.Indexes, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return t, err
	}

	rows, err = q.Query(ctx, `SELECT s.relname, a.attname, dp.deptype = 'i', format_type(sq.seqtypid, NULL),
			sq.seqstart, sq.seqincrement, sq.seqmin, sq.seqmax, sq.seqcache, sq.seqcycle
		FROM pg_depend dp
		JOIN pg_class s ON s.oid = dp.objid AND s.relkind = 'S'
		JOIN pg_sequence sq ON sq.seqrelid = s.oid
		JOIN pg_attribute a ON a.attrelid = dp.refobjid AND a.attnum = dp.refobjsubid
		WHERE dp.classid = 'pg_class'::regclass AND dp.refclassid = 'pg_class'::regclass
		  AND dp.refobjid = $1::regclass AND dp.deptype IN ('a', 'i')
		ORDER BY s.relname`, rel)
	if err != nil {
		return t, err
	}
	t.Sequences, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (sequenceDef, error) {
		var s sequenceDef
		err := r.Scan(&s.Name, &s.Column, &s.Identity, &s.Type, &s.Start, &s.Increment, &s.Min, &s.Max, &s.Cache, &s.Cycle)
		return s, err
	})
	if err != nil {
		return t, err
	}
	for i := range t.Sequences {
		s := &t.Sequences[i]
		if err := q.QueryRow(ctx, `SELECT last_value, is_called FROM public.`+ident(s.Name)).Scan(&s.LastValue, &s.IsCalled); err != nil {
			return t, err
		}
	}
	return t, nil
}

// createStatements recreate the table without its constraints and
// indexes (added after the data, as pg_dump does): owned sequences of
// serial columns first, then the table.
func (t *tableDef) createStatements() []string {
	var out []string
	identity := map[string]sequenceDef{}
	for _, s := range t.Sequences {
		if s.Identity {
			identity[s.Column] = s
			continue
		}
		out = append(out, fmt.Sprintf("CREATE SEQUENCE public.%s AS %s %s", ident(s.Name), s.Type, s.options()))
	}
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		var b strings.Builder
		b.WriteString(ident(c.Name) + " " + c.Type)
		if c.Collation != "" {
			b.WriteString(" COLLATE " + c.Collation)
		}
		switch {
		case c.Generated == "s":
			b.WriteString(" GENERATED ALWAYS AS (" + c.Default + ") STORED")
		case c.Default != "":
			b.WriteString(" DEFAULT " + c.Default)
		}
		if c.NotNull {
			b.WriteString(" NOT NULL")
		}
		if c.Identity != "" {
			kind := "BY DEFAULT"
			if c.Identity == "a" {
				kind = "ALWAYS"
			}
			s := identity[c.Name]
			b.WriteString(fmt.Sprintf(" GENERATED %s AS IDENTITY (SEQUENCE NAME public.%s %s)", kind, ident(s.Name), s.options()))
		}
		cols[i] = b.String()
	}
	out = append(out, "CREATE TABLE public."+ident(t.Name)+" (\n    "+strings.Join(cols, ",\n    ")+"\n)")
	for _, s := range t.Sequences {
		if !s.Identity {
			out = append(out, fmt.Sprintf("ALTER SEQUENCE public.%s OWNED BY public.%s.%s", ident(s.Name), ident(t.Name), ident(s.Column)))
		}
	}
	return out
}

func (s sequenceDef) options() string {
	cycle := "NO CYCLE"
	if s.Cycle {
		cycle = "CYCLE"
	}
	return fmt.Sprintf("INCREMENT BY %d MINVALUE %d MAXVALUE %d START WITH %d CACHE %d %s", s.Increment, s.Min, s.Max, s.Start, s.Cache, cycle)
}

// indexStatements build, after the data, the indexes of the primary key
// and unique constraints and the other indexes. CREATE INDEX locks out
// writers only: the table can be read meanwhile.
func (t *tableDef) indexStatements() []string {
	var out []string
	for _, c := range t.Constraints {
		if c.byIndex() {
			out = append(out, c.IndexDef)
		}
	}
	return append(out, t.Indexes...)
}

// constraintStatements add the primary key and unique constraints on the
// indexes indexStatements built, then the exclusion and check constraints
// (and deferrable keys) as they are.
func (t *tableDef) constraintStatements() []string {
	var out []string
	for _, c := range t.Constraints {
		switch {
		case c.byIndex():
			kind := "UNIQUE"
			if c.Type == "p" {
				kind = "PRIMARY KEY"
			}
			out = append(out, fmt.Sprintf("ALTER TABLE public.%s ADD CONSTRAINT %s %s USING INDEX %s", ident(t.Name), ident(c.Name), kind, ident(c.Index)))
		case c.Type != "f":
			out = append(out, fmt.Sprintf("ALTER TABLE public.%s ADD CONSTRAINT %s %s", ident(t.Name), ident(c.Name), c.Def))
		}
	}
	return out
}

func (t *tableDef) foreignKeys() []string {
	var out []string
	for _, c := range t.Constraints {
		if c.Type == "f" {
			out = append(out, fmt.Sprintf("ALTER TABLE public.%s ADD CONSTRAINT %s %s", ident(t.Name), ident(c.Name), c.Def))
		}
	}
	return out
}

// sequenceStatements set each sequence where the source left it.
func (t *tableDef) sequenceStatements() []string {
	var out []string
	for _, s := range t.Sequences {
		out = append(out, fmt.Sprintf("SELECT setval('public.%s', %d, %t)", strings.ReplaceAll(ident(s.Name), "'", "''"), s.LastValue, s.IsCalled))
	}
	return out
}
