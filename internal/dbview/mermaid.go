package dbview

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// WriteMermaid writes s as a Mermaid entity-relationship diagram
// (erDiagram), which GitHub and VS Code draw: each table with its columns
// and their types, PK, FK and UK (unique) marked, NOT NULL and DEFAULT as
// comments; then each foreign key as a relationship from the parent to the
// child, labelled with its columns and its ON DELETE action.
//
// The relationship's ends say how many rows each side has: one parent
// (exactly one, ||, when the key's columns are NOT NULL; zero or one, |o,
// when they may be NULL) for zero or more children (o{), or zero or one
// (o|) when the key's columns are unique in the child. A key that is part
// of the child's primary key is drawn as identifying (--), any other as
// non-identifying (..).
func WriteMermaid(w io.Writer, s *Schema) {
	fmt.Fprintln(w, "erDiagram")
	for _, t := range s.Tables {
		fmt.Fprintf(w, "    %s {\n", mermaidName(t.Name))
		inFK := map[string]bool{}
		for _, fk := range t.ForeignKeys {
			for _, c := range fk.Columns {
				inFK[c] = true
			}
		}
		for _, c := range t.Columns {
			var keys []string
			if c.PK > 0 {
				keys = append(keys, "PK")
			}
			if inFK[c.Name] {
				keys = append(keys, "FK")
			}
			if c.Unique {
				keys = append(keys, "UK")
			}
			line := fmt.Sprintf("        %s %s", mermaidType(c.Type), mermaidName(c.Name))
			if len(keys) > 0 {
				line += " " + strings.Join(keys, ", ")
			}
			var notes []string
			if c.NotNull && c.PK == 0 {
				notes = append(notes, "not null")
			}
			if c.Default != nil {
				notes = append(notes, "default "+*c.Default)
			}
			for _, check := range checksOn(t, c.Name) {
				notes = append(notes, "check "+check)
			}
			if len(notes) > 0 {
				line += fmt.Sprintf(" %q", mermaidText(strings.Join(notes, ", ")))
			}
			fmt.Fprintln(w, line)
		}
		fmt.Fprintln(w, "    }")
	}
	for _, t := range s.Tables {
		for _, fk := range t.ForeignKeys {
			fmt.Fprintf(w, "    %s %s %s : %q\n", mermaidName(fk.Table), relationship(t, fk), mermaidName(t.Name),
				mermaidText(fmt.Sprintf("%s, on delete %s", strings.Join(fk.Columns, ", "), action(fk.OnDelete))))
		}
	}
}

// checksOn returns the CHECK constraints of t that name column and no
// other of t's columns, for the diagram to note on that column.
func checksOn(t Table, column string) []string {
	var out []string
	for _, check := range t.Checks {
		var named []string
		for _, c := range t.Columns {
			if regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(c.Name) + `\b`).MatchString(check) {
				named = append(named, c.Name)
			}
		}
		if len(named) == 1 && named[0] == column {
			out = append(out, check)
		}
	}
	return out
}

// relationship writes the ends and the line of fk, a key of the child t,
// in Mermaid's crow's-foot syntax: ||--o{ and the like.
func relationship(t Table, fk ForeignKey) string {
	cols := map[string]Column{}
	pk := 0
	for _, c := range t.Columns {
		cols[c.Name] = c
		if c.PK > 0 {
			pk++
		}
	}
	nullable, identifying := false, true
	for _, name := range fk.Columns {
		c := cols[name]
		if !c.NotNull && c.PK == 0 {
			nullable = true
		}
		if c.PK == 0 {
			identifying = false
		}
	}
	unique := len(fk.Columns) == 1 && cols[fk.Columns[0]].Unique ||
		identifying && len(fk.Columns) == pk
	for _, ix := range t.Indexes {
		if ix.Unique && sameSet(ix.Columns, fk.Columns) {
			unique = true
		}
	}
	parent, line, child := "||", "..", "o{"
	if nullable {
		parent = "|o"
	}
	if identifying {
		line = "--"
	}
	if unique {
		child = "o|"
	}
	return parent + line + child
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	in := map[string]bool{}
	for _, s := range a {
		in[s] = true
	}
	for _, s := range b {
		if !in[s] {
			return false
		}
	}
	return true
}

var notWord = regexp.MustCompile(`[^A-Za-z0-9_]+`)

// mermaidName writes a table's or a column's name as Mermaid reads one: the
// names of this workbook are plain words already; anything else is joined
// with underscores.
func mermaidName(name string) string {
	if n := strings.Trim(notWord.ReplaceAllString(name, "_"), "_"); n != "" {
		return n
	}
	return "unnamed"
}

// mermaidType writes a declared type as an attribute's type: a word
// ("INTEGER", "varchar_20"), or "ANY" for a column declared without one.
func mermaidType(t string) string {
	if strings.TrimSpace(t) == "" {
		return "ANY"
	}
	return mermaidName(t)
}

// mermaidText makes s safe inside a Mermaid string, which ends at a double
// quote.
func mermaidText(s string) string { return strings.ReplaceAll(s, `"`, "'") }

// The lines that mark, in a lesson's README.md, the block that
// [ReadmeWithSchema] writes: everything between them is generated.
const (
	SchemaBegin = "<!-- schema:begin -->"
	SchemaEnd   = "<!-- schema:end -->"
)

// SchemaHeading is the heading the schema block goes under, and
// SchemaBefore the heading it is put right before when a README has no
// block yet.
const (
	SchemaHeading = "## The data"
	SchemaBefore  = "## Your task"
)

// SchemaBlock returns the generated part of a lesson's README: a line
// about the data set, from the lesson's number and the data set's name, and
// its diagram in a mermaid code block.
func SchemaBlock(number int, dataSet string, s *Schema) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The checks run on a copy of `data/%s.db`. `workbook db %d` lists its\n", dataSet, number)
	fmt.Fprintf(&b, "tables with their row counts; `workbook sql %d` lets you try statements on\n", number)
	b.WriteString("a throwaway copy.\n\n```mermaid\n")
	WriteMermaid(&b, s)
	b.WriteString("```\n")
	return b.String()
}

// ReadmeWithSchema returns readme with block between its schema markers,
// replacing what was there. A README without the markers gets the heading
// and the block (markers included) right before its task's heading.
func ReadmeWithSchema(readme, block string) (string, error) {
	begin := strings.Index(readme, SchemaBegin+"\n")
	end := strings.Index(readme, SchemaEnd)
	switch {
	case begin >= 0 && end > begin:
		return readme[:begin+len(SchemaBegin)+1] + block + readme[end:], nil
	case begin >= 0 || end >= 0:
		return "", errors.New("only one of the schema markers is there, or they are out of order")
	}
	at := strings.Index(readme, "\n"+SchemaBefore+"\n")
	if at < 0 {
		return "", fmt.Errorf("no %q heading to put the schema before", SchemaBefore)
	}
	at++
	insert := SchemaHeading + "\n\n" + SchemaBegin + "\n" + block + SchemaEnd + "\n\n"
	return readme[:at] + insert + readme[at:], nil
}
