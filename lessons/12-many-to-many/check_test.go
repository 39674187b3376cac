package manytomany_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"workbook/checker"
	"workbook/checker/stmtlog"
	"workbook/internal/words"
	manytomany "workbook/lessons/12-many-to-many"
)

var data = []string{"library", "library-variant"}

// pairing is a book and a tag, with their names for messages.
type pairing struct {
	Book  int64  `db:"book"`
	Tag   int64  `db:"tag"`
	Title string `db:"title"`
	Name  string `db:"name"`
}

func (p pairing) String() string {
	return fmt.Sprintf("book %d (%q), tag %d (%q)", p.Book, p.Title, p.Tag, p.Name)
}

func (p pairing) where() string { return fmt.Sprintf("book_id = %d AND tag_id = %d", p.Book, p.Tag) }

// onePairing returns the first row query gives, which selects book, tag,
// title and name.
func onePairing(c *checker.C, query string) pairing {
	var ps []pairing
	c.Query(&ps, query)
	if len(ps) == 0 {
		c.Fatalf("checker: no pairing for %s", query)
	}
	return ps[0]
}

// newPairing is "award winner" on the first book that does not carry it.
func newPairing(c *checker.C) pairing {
	return onePairing(c, `SELECT b.id AS book, t.id AS tag, b.title, t.name FROM books b, tags t
		WHERE t.name = 'award winner'
		AND NOT EXISTS (SELECT 1 FROM book_tag WHERE book_id = b.id AND tag_id = t.id)
		ORDER BY b.id LIMIT 1`)
}

// sharedPairing is a pairing whose tag other books carry too, on a book
// with other tags too, so that an untag by one column alone shows.
func sharedPairing(c *checker.C) pairing {
	return onePairing(c, `SELECT bt.book_id AS book, bt.tag_id AS tag, b.title, t.name
		FROM book_tag bt JOIN books b ON b.id = bt.book_id JOIN tags t ON t.id = bt.tag_id
		WHERE (SELECT count(*) FROM book_tag WHERE tag_id = bt.tag_id) > 1
		AND (SELECT count(*) FROM book_tag WHERE book_id = bt.book_id) > 1
		ORDER BY EXISTS (SELECT 1 FROM books e JOIN book_tag et ON et.book_id = e.id
			WHERE e.id != b.id AND e.title = b.title AND e.author_id = b.author_id AND et.tag_id = bt.tag_id) DESC,
			bt.tag_id DESC, bt.book_id LIMIT 1`)
}

// mostTagged returns the id and title of the book with the most tags.
func mostTagged(c *checker.C) (int64, string) {
	var books []struct {
		ID    int64  `db:"id"`
		Title string `db:"title"`
	}
	c.Query(&books, `SELECT b.id, b.title FROM books b JOIN book_tag bt ON bt.book_id = b.id
		GROUP BY b.id ORDER BY count(*) DESC, b.id LIMIT 1`)
	return books[0].ID, books[0].Title
}

// soleAndShared returns the id and title of the book with the most tags
// among those that carry both a tag no other book carries and one that
// other books carry too: deleting it must keep both, so that code which
// deletes the tags only that book had fails on every data set, as code
// which deletes all its tags does. A library without such a book gives the
// most tagged one.
func soleAndShared(c *checker.C) (int64, string) {
	var books []struct {
		ID    int64  `db:"id"`
		Title string `db:"title"`
	}
	const others = `(SELECT count(*) FROM book_tag o WHERE o.tag_id = bt.tag_id AND o.book_id != b.id)`
	c.Query(&books, `SELECT b.id, b.title FROM books b JOIN book_tag bt ON bt.book_id = b.id
		GROUP BY b.id HAVING min(`+others+`) = 0 AND max(`+others+`) > 0
		ORDER BY count(*) DESC, b.id LIMIT 1`)
	if len(books) == 0 {
		return mostTagged(c) // a library without such a book: the most tagged one
	}
	return books[0].ID, books[0].Title
}

func missingBook(c *checker.C) int64 {
	var ids []int64
	c.Query(&ids, `SELECT max(id) + 1 FROM books`)
	return ids[0]
}

func TestTagTwice(t *testing.T) {
	checker.Run(t, checker.Check{Name: "tag-twice", Data: data, Budget: 3, Writes: true}, func(c *checker.C) {
		p := newPairing(c)
		var have []pairing
		c.Query(&have, `SELECT bt.book_id AS book, bt.tag_id AS tag, b.title, t.name
			FROM book_tag bt JOIN books b ON b.id = bt.book_id JOIN tags t ON t.id = bt.tag_id
			ORDER BY bt.book_id, bt.tag_id LIMIT 1`)
		before := c.Snapshot()
		// The rowid each pairing has before each call: the second call
		// finds the first's row, the third the library's own.
		rowids := []int64{0, 0, pairRowid(c, have[0])}
		for i, q := range []pairing{p, p, have[0]} {
			call := fmt.Sprintf("TagBook(db, %d, %d)", q.Book, q.Tag)
			tag := func() error { return manytomany.TagBook(c.DB(), q.Book, q.Tag) }
			var err error
			if i == 0 {
				err = tag()
			} else {
				err = c.ExpectWritesNothing(call+" for a pairing already there", tag)
			}
			if i == 0 {
				c.NoError(err, call)
				rowids[1] = pairRowid(c, p)
				continue
			}
			when := "the second time"
			if i == 2 {
				when = "for a pairing the library already had"
			}
			if was, now := rowids[i], pairRowid(c, q); err == nil && now != was {
				c.Errorf("%s, %s, %s, deleted the pairing's row and wrote it again (its rowid %d is\n"+
					"now %d): that is what INSERT OR REPLACE does on a clash. Tagging again must change nothing,\n"+
					"and a replaced row is a change: whatever refers to the row by its rowid loses it, and with\n"+
					"recursive triggers on, its delete triggers fire. Skip the duplicate instead: INSERT ...\n"+
					"ON CONFLICT (book_id, tag_id) DO NOTHING.", call, q, when, was, now)
			}
			c.NoErrorAdvice(err, fmt.Sprintf("%s, %s, %s", call, q, when),
				"Tagging a book with a tag it already has must be harmless: no error, and no second row\n"+
					"(there cannot be one: (book_id, tag_id) is book_tag's primary key). Have the INSERT skip\n"+
					"a pairing that is already there: INSERT ... ON CONFLICT (book_id, tag_id) DO NOTHING skips\n"+
					"exactly that duplicate. (INSERT OR IGNORE skips it too, but also, as silently, a row that\n"+
					"breaks a NOT NULL or CHECK constraint.) Looking the pairing up first costs a statement,\n"+
					"and can be out of date by the INSERT.")
		}
		c.ExpectChanges(before, checker.Changes{
			"book_tag": {Added: 1, AddedWhere: p.where()},
		})
	})
}

// pairRowid returns the rowid of p's row in book_tag, or 0 without one.
func pairRowid(c *checker.C, p pairing) int64 {
	var ids []int64
	c.Query(&ids, `SELECT rowid FROM book_tag WHERE book_id = ? AND tag_id = ?`, p.Book, p.Tag)
	if len(ids) == 0 {
		return 0
	}
	return ids[0]
}

func TestTagMissingBook(t *testing.T) {
	// A missing book, then a missing tag: one statement each.
	checker.Run(t, checker.Check{Name: "tag-missing-book", Data: data, Budget: 2, Writes: true}, func(c *checker.C) {
		book := missingBook(c)
		var tags []int64
		c.Query(&tags, `SELECT min(id) FROM tags`)
		var books, missingTags []int64
		c.Query(&books, `SELECT min(id) FROM books`)
		c.Query(&missingTags, `SELECT max(id) + 1 FROM tags`)
		before := c.Snapshot()
		for _, p := range []struct {
			book, tag int64
			what      string
		}{{book, tags[0], fmt.Sprintf("there is no book %d", book)}, {books[0], missingTags[0], fmt.Sprintf("there is no tag %d", missingTags[0])}} {
			call := fmt.Sprintf("TagBook(db, %d, %d)", p.book, p.tag)
			sent := len(c.Statements())
			err := c.KeepsDatabaseError(call, func() error { return manytomany.TagBook(c.DB(), p.book, p.tag) })
			if err == nil {
				c.Errorf("%s returned no error, but %s: the caller believes the book is\n"+
					"tagged. %s", call, p.what, unreported(c.Statements()[sent:]))
			}
		}
		c.ExpectChanges(before, checker.Changes{})
	})
}

// unreported explains why a TagBook call whose book or tag is missing
// returned no error, from the statements it sent: SQLite's error dropped,
// or nothing that could fail sent at all.
func unreported(sent []stmtlog.Entry) string {
	for _, e := range sent {
		if e.Err != "" {
			return fmt.Sprintf("SQLite refused statement %d (%s), and the error went no further.\n"+
				"Return that error: do not swallow every constraint error to make tagging twice harmless;\n"+
				"tell a duplicate from the rest (sqlite3.ErrConstraintPrimaryKey), or let the INSERT skip it.", e.Seq, e.Err)
		}
	}
	return "None of its statements failed: it wrote nothing, and said nothing. Neither INSERT OR IGNORE\n" +
		"nor ON CONFLICT DO NOTHING skips a row that a FOREIGN KEY refuses (OR IGNORE skips a row that\n" +
		"breaks a UNIQUE, PRIMARY KEY, NOT NULL or CHECK constraint; DO NOTHING only a duplicate of the\n" +
		"key), so a plain INSERT of the pair gets SQLite's refusal: return it. Code that looks the book\n" +
		"up first, or inserts only WHERE EXISTS, must return an error itself when there is nothing to tag."
}

func TestUntag(t *testing.T) {
	checker.Run(t, checker.Check{Name: "untag", Data: data, Budget: 2, Writes: true}, func(c *checker.C) {
		p := sharedPairing(c)
		var otherBooks, otherTags []int64
		c.Query(&otherBooks, `SELECT book_id FROM book_tag WHERE tag_id = ? AND book_id != ?`, p.Tag, p.Book)
		c.Query(&otherTags, `SELECT tag_id FROM book_tag WHERE book_id = ? AND tag_id != ?`, p.Book, p.Tag)
		before := c.Snapshot()
		for range 2 {
			call := fmt.Sprintf("UntagBook(db, %d, %d)", p.Book, p.Tag)
			c.NoError(manytomany.UntagBook(c.DB(), p.Book, p.Tag), call)
		}
		// What a DELETE on one column alone takes: the tag off the other
		// books, or the book's other tags.
		var lost []string
		c.Query(&lost, `SELECT b.title || ' (id ' || b.id || ')' || iif(b.title = ?, ', another edition of the same title', '')
			FROM books b WHERE b.id != ? AND b.id IN (SELECT value FROM json_each(?))
			AND NOT EXISTS (SELECT 1 FROM book_tag WHERE book_id = b.id AND tag_id = ?) ORDER BY b.id`,
			p.Title, p.Book, jsonIDs(otherBooks), p.Tag)
		if len(lost) > 0 {
			c.Errorf("UntagBook(db, %d, %d) took %q off other books too: %s.\n"+
				"A pairing is one book_tag row, found by both of its columns: WHERE book_id = ? AND tag_id = ?.\n"+
				"A book is its id: two editions share a title and an author, and are two books.",
				p.Book, p.Tag, p.Name, strings.Join(lost, ", "))
		}
		var lostTags []string
		c.Query(&lostTags, `SELECT t.name FROM tags t WHERE t.id != ? AND t.id IN (SELECT value FROM json_each(?))
			AND NOT EXISTS (SELECT 1 FROM book_tag WHERE book_id = ? AND tag_id = t.id) ORDER BY t.name`,
			p.Tag, jsonIDs(otherTags), p.Book)
		if len(lostTags) > 0 {
			c.Errorf("UntagBook(db, %d, %d) took other tags off %q too: %s.\n"+
				"A pairing is one book_tag row, found by both of its columns: WHERE book_id = ? AND tag_id = ?.",
				p.Book, p.Tag, p.Title, strings.Join(lostTags, ", "))
		}
		var tags []int64
		c.Query(&tags, `SELECT id FROM tags WHERE id = ?`, p.Tag)
		if len(tags) == 0 {
			c.Errorf("UntagBook(db, %d, %d) deleted the tag %q itself. Untagging removes one pairing, the\n"+
				"book_tag row of this book and this tag; the tag stays for the books that carry it.", p.Book, p.Tag, p.Name)
		}
		c.ExpectChanges(before, checker.Changes{
			"book_tag": {Removed: p.where()},
		})
	})
}

func TestBookTags(t *testing.T) {
	checker.Run(t, checker.Check{Name: "book-tags", Data: data, Budget: 2}, func(c *checker.C) {
		id, title := mostTagged(c)
		got, err := manytomany.BookTags(c.DB(), id)
		c.NoError(err, fmt.Sprintf("BookTags(db, %d) for %q", id, title))
		c.Expect(got, checker.Ordered, checker.OrderBy("t.name"), checker.Noun("tag"))
		names := make([]string, len(got))
		for i, t := range got {
			names[i] = t.Name
		}
		if why := checker.CaseFoldedOrder("tags", "t.name", names); why != "" {
			c.Errorf("BookTags(db, %d) for %q: %s", id, title, why)
		}

		missing := missingBook(c)
		got, err = manytomany.BookTags(c.DB(), missing)
		c.NoError(err, fmt.Sprintf("BookTags(db, %d), a book that does not exist", missing))
		c.Expect(got, checker.Named("missing-book"), checker.Noun("tag"))
	})
}

// TestBookNoTags asks for the tags of a book that carries none: the
// lesson's variant has one. A LEFT JOIN from books gives it one row of
// NULLs, which is not a tag.
func TestBookNoTags(t *testing.T) {
	checker.Run(t, checker.Check{Name: "book-no-tags", Data: []string{"library-variant"}, Budget: 1}, func(c *checker.C) {
		var untagged []struct {
			ID    int64  `db:"id"`
			Title string `db:"title"`
		}
		c.Query(&untagged, `SELECT b.id, b.title FROM books b
			WHERE NOT EXISTS (SELECT 1 FROM book_tag WHERE book_id = b.id) ORDER BY b.id LIMIT 1`)
		if len(untagged) == 0 {
			c.Fatalf("checker: %s has no book without tags", c.Data())
		}
		b := untagged[0]
		call := fmt.Sprintf("BookTags(db, %d) for %q, a book with no tags", b.ID, b.Title)
		got, err := manytomany.BookTags(c.DB(), b.ID)
		if err != nil && nullScan.MatchString(err.Error()) && leftJoined(c) {
			c.Fatalf("%s returned an error:\n    %v\n%s", call, err, noTagsRow("Scanning its NULL id\ninto a Tag fails, and the row is no tag anyway."))
		}
		c.NoError(err, call)
		for _, t := range got {
			if t.ID == 0 && leftJoined(c) {
				c.Fatalf("%s returned the wrong result:\n"+
					"  got %s, want 0:\n    unexpected: {ID: 0, Name: %q}\n%s", call, plural(len(got), "tag"), t.Name,
					noTagsRow("That row became a Tag\nof zeros when it was scanned (or coalesced), but it is no tag."))
			}
		}
		c.Expect(got, checker.Noun("tag"))
	})
}

var (
	nullScan = regexp.MustCompile(`converting NULL to \S+ is unsupported`)
	leftJoin = regexp.MustCompile(`(?i)\bLEFT\s+(?:OUTER\s+)?JOIN\b`)
)

// leftJoined reports whether a query the learner's code sent has a LEFT
// JOIN.
func leftJoined(c *checker.C) bool {
	for _, e := range c.Statements() {
		if e.Query && leftJoin.MatchString(e.SQL) {
			return true
		}
	}
	return false
}

// noTagsRow explains, in the lesson's nouns, the row a LEFT JOIN from books
// keeps for a book without tags: what the row is, what became of it (what),
// and what to write instead. (The checker's own note on such a row speaks
// of users and expenses.)
func noTagsRow(what string) string {
	return "A LEFT JOIN from books keeps one row for a book that carries no tag, with NULL in\n" +
		"every column of book_tag and tags. " + what + "\n" +
		"Start from the pairings instead: FROM book_tag bt JOIN tags t ON t.id = bt.tag_id\n" +
		"WHERE bt.book_id = ?. That inner JOIN gives no row for a book without tags, which is the\n" +
		"empty list asked for (or keep the LEFT JOIN and leave out the rows whose t.id IS NULL)."
}

// merged explains books missing from got that share their title and year
// with a book got has: two editions of one title and year made one row, by
// a GROUP BY (or a DISTINCT) on the title and year. want is every book of
// the tag. It returns "" otherwise.
func merged(got, want []manytomany.Book) string {
	type edition struct {
		title string
		year  int64
	}
	count := func(books []manytomany.Book) map[edition][]int64 {
		m := map[edition][]int64{}
		for _, b := range books {
			k := edition{b.Title, b.Year}
			m[k] = append(m[k], b.ID)
		}
		return m
	}
	have, all := count(got), count(want)
	for _, b := range want {
		k := edition{b.Title, b.Year}
		ids := all[k]
		if len(ids) > 1 && len(have[k]) > 0 && len(have[k]) < len(ids) {
			return fmt.Sprintf("the library has %d books titled %q from %d\n"+
				"(ids %s), and your result has %s for them: they were merged. Two editions of one\n"+
				"title and year are two books, each with its own id and its own row. A GROUP BY b.title,\n"+
				"b.year (or a DISTINCT over columns without b.id) makes them one row; the join already\n"+
				"gives one row per book carrying the tag, so leave the GROUP BY out (or group by b.id),\n"+
				"and order two editions by b.id.",
				len(ids), k.title, k.year, joinIDs(ids), plural(len(have[k]), "row"))
		}
	}
	return ""
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return strings.Join(s, " and ")
}

// booksWhere is the lesson's query of the books that carry a tag, with
// another condition on the tag: the shape of a mistake. A book may carry
// two of the tags the condition matches, so the mistake comes with
// DISTINCT (distinct) and without ("").
func booksWhere(distinct, cond string) string {
	return `SELECT ` + distinct + ` b.id, b.title, b.year, a.name AS author FROM tags t
		JOIN book_tag bt ON bt.tag_id = t.id JOIN books b ON b.id = bt.book_id
		JOIN authors a ON a.id = b.author_id WHERE ` + cond
}

func TestTaggedBooks(t *testing.T) {
	checker.Run(t, checker.Check{Name: "tagged-books", Data: data, Budget: 2}, func(c *checker.C) {
		got, err := manytomany.BooksTagged(c.DB(), "fantasy")
		c.NoError(err, `BooksTagged(db, "fantasy")`)
		inside := "These are the books of every tag whose name contains \"fantasy\": a pattern such as\n" +
			"LIKE '%' || ? || '%' matches inside other tags' names too (this data set has one). Compare the\n" +
			"name with =."
		c.Expect(got, checker.Ordered, checker.OrderBy("b.year", "b.title", "b.id"), checker.Noun("book"),
			checker.Mistake(inside, booksWhere("", `t.name LIKE '%' || ? || '%'`), "fantasy"),
			checker.Mistake(inside, booksWhere("DISTINCT", `t.name LIKE '%' || ? || '%'`), "fantasy"),
			checker.Mistake("These are the books of every tag whose name is \"fantasy\" in any mix of capitals: LIKE,\n"+
				"COLLATE NOCASE and lower() ignore case. Compare with =.", booksWhere("", `lower(t.name) = lower(?)`), "fantasy"))
		var all []manytomany.Book
		c.Query(&all, booksWhere("", `t.name = ?`)+` ORDER BY b.year, b.title, b.id`, "fantasy")
		if why := merged(got, all); why != "" {
			c.Errorf(`BooksTagged(db, "fantasy"): %s`, why)
		}
		if len(got) == len(all) {
			var titles []string
			for i := 0; i < len(got); i++ {
				if i > 0 && got[i].Year != got[i-1].Year {
					if why := checker.CaseFoldedOrder("books of the same year", "b.title", titles); why != "" {
						c.Errorf(`BooksTagged(db, "fantasy"): %s`, why)
					}
					titles = nil
				}
				titles = append(titles, got[i].Title)
			}
			if why := checker.CaseFoldedOrder("books of the same year", "b.title", titles); why != "" {
				c.Errorf(`BooksTagged(db, "fantasy"): %s`, why)
			}
		}

		got, err = manytomany.BooksTagged(c.DB(), "poetry")
		c.NoError(err, `BooksTagged(db, "poetry")`)
		c.Expect(got, checker.Named("untagged"), checker.Noun("book"))
	})
}

func TestDeleteBook(t *testing.T) {
	checker.Run(t, checker.Check{Name: "delete-book", Data: data, Budget: 1, Writes: true}, func(c *checker.C) {
		id, title := soleAndShared(c)
		var names []string
		c.Query(&names, `SELECT t.name FROM book_tag bt JOIN tags t ON t.id = bt.tag_id WHERE bt.book_id = ? ORDER BY t.name`, id)
		before := c.Snapshot()
		call := fmt.Sprintf("DeleteBook(db, %d) for %q", id, title)
		c.NoError(manytomany.DeleteBook(c.DB(), id), call)

		var left []string
		c.Query(&left, `SELECT name FROM tags WHERE name IN (SELECT value FROM json_each(?)) ORDER BY name`, jsonList(names))
		if gone := minus(names, left); len(gone) > 0 {
			c.Errorf("%s deleted %s the book carried:\n    %s\n"+
				"Tags are shared: other books carry them, and deleting a tag takes its pairings with every\n"+
				"book. Deleting a book removes its pairings, the book_tag rows, and never a tag.",
				call, plural(len(gone), "tag"), strings.Join(gone, ", "))
		}
		for _, s := range c.Statements() {
			if deletePairings.MatchString(s.SQL) {
				c.BudgetNote("%s deleted the book's book_tag rows with a statement of its own:\n    %s\n"+
					"The schema already does that: book_tag.book_id says REFERENCES books(id) ON DELETE CASCADE, so\n"+
					"with foreign keys on, SQLite deletes the pairings as part of the book's DELETE.", call, s.SQL)
				break
			}
		}
		c.ExpectChanges(before, checker.Changes{
			"books":    {Removed: fmt.Sprintf("id = %d", id)},
			"book_tag": {Removed: fmt.Sprintf("book_id = %d", id)},
		})
	})
}

var deletePairings = regexp.MustCompile(`(?i)^\s*DELETE\s+FROM\s+"?book_tag\b`)

// minus returns the names of all that are not in some.
func minus(all, some []string) []string {
	var out []string
	for _, n := range all {
		if !slices.Contains(some, n) {
			out = append(out, n)
		}
	}
	return out
}

func plural(n int, noun string) string { return words.Counted(n, noun) }

// jsonList writes names as a JSON array, for json_each.
func jsonList(names []string) string { return toJSON(names) }

// jsonIDs writes ids as a JSON array, for json_each.
func jsonIDs(ids []int64) string { return toJSON(ids) }

func toJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // lists of strings and numbers always marshal
	}
	return string(b)
}

// Tag names close to "fantasy" that no tag has: each gives no books.
func TestNearMisses(t *testing.T) {
	checker.Run(t, checker.Check{Name: "near-misses", Data: data, Budget: checker.NearMissBudget}, func(c *checker.C) {
		fantasy := checker.Lookup{Value: "fantasy", Table: "tags", Column: "name", Compared: "t.name", Absent: "no tag is named"}
		c.ExpectNoNearMisses(fantasy, func(name string) (string, string) {
			call := fmt.Sprintf("BooksTagged(db, %q)", name)
			got, err := manytomany.BooksTagged(c.DB(), name)
			c.NoError(err, call)
			if len(got) == 0 {
				return call, ""
			}
			return call, fmt.Sprintf("%d books (the first, %q)", len(got), got[0].Title)
		})
	})
}
