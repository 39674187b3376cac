// Package manytomany is lesson 12 of the workbook: books and tags, many to
// many through the book_tag table.
//
// This is your file: make TagBook harmless to repeat, write the other
// functions, then run
//
//	go run ./cmd/workbook run 12
package manytomany

import (
	"errors"

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
// TODO: as written, the second TagBook of the same pair fails. Make it
// harmless.
func TagBook(db *sqlx.DB, bookID, tagID int64) error {
	_, err := db.Exec(`INSERT INTO book_tag (book_id, tag_id) VALUES (?, ?)`, bookID, tagID)
	return err
}

// UntagBook takes the tag off the book, in one statement: that pairing only.
// Untagging a book that does not have the tag changes nothing and is not an
// error.
func UntagBook(db *sqlx.DB, bookID, tagID int64) error {
	return errors.New("not written yet: delete the one book_tag row of this book and this tag")
}

// BookTags returns the tags of the book, by name, in one statement. A book
// with no tags, or no such book, gives an empty list and no error.
func BookTags(db *sqlx.DB, bookID int64) ([]Tag, error) {
	return nil, errors.New("not written yet: join book_tag to tags and keep the rows of this book")
}

// BooksTagged returns the books that carry the tag called tag, each with
// its author's name, oldest first (books of the same year by title), in one
// statement. A tag on no book, or no such tag, gives an empty list and no
// error.
func BooksTagged(db *sqlx.DB, tag string) ([]Book, error) {
	return nil, errors.New("not written yet: join tags, book_tag, books and authors, and keep the rows of this tag")
}

// DeleteBook deletes the book and its pairings with tags, in one statement.
// The tags themselves stay: other books carry them.
func DeleteBook(db *sqlx.DB, bookID int64) error {
	return errors.New("not written yet: delete the book; the schema says what happens to its book_tag rows")
}
