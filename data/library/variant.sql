-- A second library with the same schema and other rows, never shown in a
-- lesson, so that answers built on the lesson's ids fail.

INSERT INTO authors (id, name) VALUES
    (2, 'Iain M. Banks'),
    (3, 'Ann Leckie'),
    (7, 'Susanna Clarke'),
    (8, 'Neil Gaiman');

INSERT INTO books (id, title, year, author_id) VALUES
    (3,  'Consider Phlebas',                  1987, 2),
    (4,  'The Player of Games',               1988, 2),
    (6,  'Ancillary Justice',                 2013, 3),
    (9,  'Jonathan Strange & Mr Norrell',     2004, 7),
    (10, 'Piranesi',                          2020, 7),
    -- Fantasy in title order is not fantasy in year order.
    (11, 'Anansi Boys',                       2005, 8),
    -- On no tag: its tags are none, not one made of NULLs.
    (12, 'The Ocean at the End of the Lane',  2013, 8),
    -- Another edition of book 4, with its title and year: books told apart
    -- by title, not id, become one (or are deleted together).
    (13, 'The Player of Games',               1988, 2),
    -- A title imported in small letters, of the same year as The Player of
    -- Games and on fantasy too: in SQLite's text order capitals come first,
    -- so it follows The Player of Games; an order that ignores case
    -- (COLLATE NOCASE, lower()) puts it first.
    (14, 'sandman',                           1988, 8);

INSERT INTO tags (id, name) VALUES
    (2, 'space opera'),
    (3, 'fantasy'),
    (5, 'award winner'),
    (8, 'mystery'),
    -- A tag whose name holds another's: LIKE '%fantasy%' takes it too.
    (9, 'dark fantasy'),
    -- fantasy in other letters, as a careless import spells it: LIKE,
    -- COLLATE NOCASE and lower() take it for fantasy.
    (10, 'Fantasy');

INSERT INTO book_tag (book_id, tag_id) VALUES
    (3, 2),
    (4, 2), (4, 5),
    (6, 2), (6, 5),
    (9, 3), (9, 5),
    (10, 3), (10, 8),
    (11, 3),
    (3, 9),
    (4, 10),
    -- Book 4 carries six tags: a list of a book's tags cut at five loses one.
    (4, 3), (4, 8), (4, 9),
    (13, 3), (14, 3);
