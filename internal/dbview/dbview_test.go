package dbview

import (
	"strings"
	"testing"
)

func str(s string) *string { return &s }

// library is a schema shaped like the library data set: one-to-many from
// authors to books, many-to-many between books and tags.
var library = &Schema{Tables: []Table{
	{Name: "authors", Rows: 1, Columns: []Column{
		{Name: "id", Type: "INTEGER", PK: 1},
		{Name: "name", Type: "TEXT", NotNull: true},
	}},
	{Name: "books", Rows: 8, Columns: []Column{
		{Name: "id", Type: "INTEGER", PK: 1},
		{Name: "author_id", Type: "INTEGER", NotNull: true},
	}, ForeignKeys: []ForeignKey{{Columns: []string{"author_id"}, Table: "authors", To: []string{"id"}, OnDelete: "NO ACTION"}},
		Indexes: []Index{{Name: "books_author_id", Columns: []string{"author_id"}}}},
	{Name: "tags", Rows: 7, Columns: []Column{
		{Name: "id", Type: "INTEGER", PK: 1},
		{Name: "name", Type: "TEXT", NotNull: true, Unique: true, Default: str("'new'")},
	}},
	{Name: "book_tag", Rows: 17, Columns: []Column{
		{Name: "book_id", Type: "INTEGER", NotNull: true, PK: 1},
		{Name: "tag_id", Type: "INTEGER", NotNull: true, PK: 2},
	}, ForeignKeys: []ForeignKey{
		{Columns: []string{"book_id"}, Table: "books", To: []string{"id"}, OnDelete: "CASCADE"},
		{Columns: []string{"tag_id"}, Table: "tags", To: []string{"id"}, OnDelete: "CASCADE"},
	}},
}}

func TestWriteSchema(t *testing.T) {
	tests := []struct {
		name   string
		schema *Schema
		glyphs Glyphs
		want   []string // lines that must be there, in this order
		absent []string
	}{
		{
			name:   "tables, keys and how they connect",
			schema: library,
			glyphs: Plain,
			want: []string{
				"authors (1 row)",
				"  id    INTEGER  primary key",
				"  name  TEXT     not null",
				"books (8 rows)",
				"  author_id  INTEGER  not null  -> authors.id, on delete no action",
				"  index books_author_id (author_id)",
				"  name  TEXT     not null, unique, default 'new'",
				"book_tag (17 rows)",
				"  book_id  INTEGER  primary key (1 of 2), not null  -> books.id, on delete cascade",
				"How the tables connect (one -< many):",
				"  authors -< books   books.author_id -> authors.id, on delete no action",
				"  books -< book_tag  book_tag.book_id -> books.id, on delete cascade",
				"  tags -< book_tag   book_tag.tag_id -> tags.id, on delete cascade",
				"  books >-< tags     many-to-many, through book_tag",
				`On delete: "no action" refuses to delete a row that others still refer to (when foreign`,
			},
		},
		{
			name:   "a terminal gets arrows",
			schema: library,
			glyphs: Fancy,
			want: []string{
				"  author_id  INTEGER  not null  → authors.id, on delete no action",
				"How the tables connect (one ─< many):",
				"  books >─< tags     many-to-many, through book_tag",
			},
		},
		{
			name: "no foreign keys",
			schema: &Schema{Tables: []Table{{Name: "activity_log", Rows: 0, Columns: []Column{
				{Name: "id", Type: "INTEGER", PK: 1},
			}}}},
			glyphs: Plain,
			want:   []string{"activity_log (0 rows)", "No table refers to another: there are no foreign keys."},
			absent: []string{"How the tables connect", "On delete"},
		},
		{
			name: "a foreign key of two columns, and a link table to one table is not many-to-many",
			schema: &Schema{Tables: []Table{{Name: "pairs", Rows: 2, Columns: []Column{
				{Name: "a", Type: "INTEGER", PK: 1}, {Name: "b", Type: "INTEGER", PK: 2},
			}, ForeignKeys: []ForeignKey{
				{Columns: []string{"a", "b"}, Table: "points", To: []string{"x", "y"}, OnDelete: "SET NULL"},
			}}}},
			glyphs: Plain,
			want: []string{
				"  (a, b) -> points(x, y), on delete set null",
				"  points -< pairs  pairs.a, b -> points.x, y, on delete set null",
			},
			absent: []string{">-<"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			WriteSchema(&b, tt.schema, tt.glyphs)
			out := b.String()
			rest := out
			for _, line := range tt.want {
				i := strings.Index(rest, line+"\n")
				if i < 0 {
					t.Errorf("missing, or out of order: %q\nin:\n%s", line, out)
					continue
				}
				rest = rest[i+len(line):]
			}
			for _, s := range tt.absent {
				if strings.Contains(out, s) {
					t.Errorf("has %q:\n%s", s, out)
				}
			}
		})
	}
}

func TestWriteResult(t *testing.T) {
	tests := []struct {
		name string
		r    *Result
		want string
	}{
		{
			name: "aligned columns, NULL, the count",
			r: &Result{Columns: []string{"id", "name", "amount_cents"}, Total: 2, Rows: [][]*string{
				{str("1"), str("Alice"), str("5250")},
				{str("12"), nil, str("100")},
			}},
			want: "" +
				"id  name   amount_cents\n" +
				"--  -----  ------------\n" +
				"1   Alice  5250\n" +
				"12  NULL   100\n" +
				"(2 rows)\n",
		},
		{
			name: "more rows than shown",
			r:    &Result{Columns: []string{"n"}, Total: 1500, Rows: [][]*string{{str("1")}}},
			want: "n\n-\n1\n(1,500 rows; the first 1 shown)\n",
		},
		{
			name: "line breaks and escapes cannot break the table; wide letters count once",
			r:    &Result{Columns: []string{"note", "x"}, Total: 1, Rows: [][]*string{{str("é\nb\x1b[2J"), str("1")}}},
			want: "" +
				"note         x\n" +
				"-----------  -\n" +
				"é\\nb\\x1b[2J  1\n" +
				"(1 row)\n",
		},
		{
			name: "no rows",
			r:    &Result{Columns: []string{"id"}},
			want: "id\n--\n(0 rows)\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			WriteResult(&b, tt.r)
			if b.String() != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), tt.want)
			}
		})
	}
}
