// Package manytomany is the reference solution of lesson 12.
package manytomany

import (
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Tag is a label that any number of books can carry.
type Tag struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
}

// Book is a book with its author's name.
type Book struct {
	ID     int64  `db:"id"`
	Title  string `db:"title"`
	Year   int64  `db:"year"`
	Author string `db:"author"`
}

// TagBook gives the book the tag, in one statement. Tagging a book with a
// tag it already has changes nothing and is not an error. A book or a tag
// that does not exist is an error, and nothing is written.
//
// ON CONFLICT DO NOTHING skips a pairing that is already there (the primary
// key's conflict) and no other failure: a missing book or tag is still
// refused by the foreign keys.
func TagBook(db *sqlx.DB, bookID, tagID int64) error {
	_, err := db.Exec(`INSERT INTO book_tag (book_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, bookID, tagID)
	if err != nil {
		return fmt.Errorf("tagging book %d with tag %d: %w", bookID, tagID, err)
	}
	return nil
}

// UntagBook takes the tag off the book, in one statement: that pairing only.
// Untagging a book that does not have the tag changes nothing and is not an
// error.
func UntagBook(db *sqlx.DB, bookID, tagID int64) error {
	_, err := db.Exec(`DELETE FROM book_tag WHERE book_id = ? AND tag_id = ?`, bookID, tagID)
	if err != nil {
		return fmt.Errorf("untagging book %d from tag %d: %w", bookID, tagID, err)
	}
	return nil
}

// BookTags returns the tags of the book, by name, in one statement. A book
// with no tags, or no such book, gives an empty list and no error.
func BookTags(db *sqlx.DB, bookID int64) ([]Tag, error) {
	var tags []Tag
	err := db.Select(&tags, `
		SELECT t.id, t.name
		FROM book_tag bt
		JOIN tags t ON t.id = bt.tag_id
		WHERE bt.book_id = ?
		ORDER BY t.name`, bookID)
	return tags, err
}

// BooksTagged returns the books that carry the tag called tag, each with
// its author's name, oldest first (books of the same year by title), in one
// statement. A tag on no book, or no such tag, gives an empty list and no
// error.
func BooksTagged(db *sqlx.DB, tag string) ([]Book, error) {
	var books []Book
	err := db.Select(&books, `
		SELECT b.id, b.title, b.year, a.name AS author
		FROM tags t
		JOIN book_tag bt ON bt.tag_id = t.id
		JOIN books b ON b.id = bt.book_id
		JOIN authors a ON a.id = b.author_id
		WHERE t.name = ?
		ORDER BY b.year, b.title, b.id`, tag)
	return books, err
}

// DeleteBook deletes the book and its pairings with tags, in one statement.
// The tags themselves stay: other books carry them.
//
// book_tag.book_id says ON DELETE CASCADE, so SQLite deletes the pairings
// as part of this DELETE (foreign keys are on in every connection the
// checks give). tag_id's cascade goes the other way, from a deleted tag to
// its pairings: nothing here reaches the tags.
func DeleteBook(db *sqlx.DB, bookID int64) error {
	if _, err := db.Exec(`DELETE FROM books WHERE id = ?`, bookID); err != nil {
		return fmt.Errorf("deleting book %d: %w", bookID, err)
	}
	return nil
}
