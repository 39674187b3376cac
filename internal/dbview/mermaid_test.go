package dbview

import (
	"strings"
	"testing"
)

func TestWriteMermaid(t *testing.T) {
	s := &Schema{Tables: append(append([]Table(nil), library.Tables...),
		Table{Name: "profiles", Columns: []Column{
			{Name: "id", Type: "INTEGER", PK: 1},
			{Name: "author_id", Type: "INTEGER", Unique: true},
			{Name: "note", Type: ""},
		}, ForeignKeys: []ForeignKey{{Columns: []string{"author_id"}, Table: "authors", To: []string{"id"}, OnDelete: "SET NULL"}}},
	)}
	var b strings.Builder
	WriteMermaid(&b, s)
	want := `erDiagram
    authors {
        INTEGER id PK
        TEXT name "not null"
    }
    books {
        INTEGER id PK
        INTEGER author_id FK "not null"
    }
    tags {
        INTEGER id PK
        TEXT name UK "not null, default 'new'"
    }
    book_tag {
        INTEGER book_id PK, FK
        INTEGER tag_id PK, FK
    }
    profiles {
        INTEGER id PK
        INTEGER author_id FK, UK
        ANY note
    }
    authors ||..o{ books : "author_id, on delete no action"
    books ||--o{ book_tag : "book_id, on delete cascade"
    tags ||--o{ book_tag : "tag_id, on delete cascade"
    authors |o..o| profiles : "author_id, on delete set null"
`
	if b.String() != want {
		t.Errorf("have:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestReadmeWithSchema(t *testing.T) {
	block := "the diagram\n"
	tests := []struct {
		name, readme, want, err string
	}{
		{
			name:   "a first time: the heading and the block before the task",
			readme: "# Lesson\n\nProse.\n\n## Your task\n\nDo it.\n",
			want:   "# Lesson\n\nProse.\n\n## The data\n\n<!-- schema:begin -->\nthe diagram\n<!-- schema:end -->\n\n## Your task\n\nDo it.\n",
		},
		{
			name:   "again: only what is between the markers changes",
			readme: "# Lesson\n\n## Data, renamed\n\n<!-- schema:begin -->\nold\n<!-- schema:end -->\nProse after.\n",
			want:   "# Lesson\n\n## Data, renamed\n\n<!-- schema:begin -->\nthe diagram\n<!-- schema:end -->\nProse after.\n",
		},
		{name: "no task heading", readme: "# Lesson\n", err: "no \"## Your task\" heading"},
		{name: "one marker", readme: "<!-- schema:end -->\n", err: "only one of the schema markers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadmeWithSchema(tt.readme, block)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ReadmeWithSchema = %q, %v; want %q", got, err, tt.want)
			}
			if again, _ := ReadmeWithSchema(got, block); again != got {
				t.Errorf("a second run changed it:\n%s", again)
			}
		})
	}
}
