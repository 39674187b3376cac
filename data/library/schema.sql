-- The library: authors write books (one-to-many), books carry tags
-- (many-to-many through book_tag). library and library-variant use this
-- schema.

CREATE TABLE authors (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE books (
    id        INTEGER PRIMARY KEY,
    title     TEXT    NOT NULL,
    year      INTEGER NOT NULL,
    author_id INTEGER NOT NULL REFERENCES authors(id)
);

CREATE INDEX books_author_id ON books(author_id);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- One row per pairing. The pair is the primary key, so a book cannot carry
-- the same tag twice. A pairing means nothing without both ends, so deleting
-- a book or a tag deletes its pairings, and never the other end.
CREATE TABLE book_tag (
    book_id INTEGER NOT NULL REFERENCES books(id) ON DELETE CASCADE,
    tag_id  INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (book_id, tag_id)
);

CREATE INDEX book_tag_tag_id ON book_tag(tag_id);
