-- The library the lessons talk about.

INSERT INTO authors (id, name) VALUES
    (1, 'Ursula K. Le Guin'),
    (2, 'Octavia E. Butler'),
    (3, 'Terry Pratchett'),
    (4, 'N. K. Jemisin'),
    (5, 'Ted Chiang');            -- no books here yet

INSERT INTO books (id, title, year, author_id) VALUES
    (1, 'A Wizard of Earthsea',      1968, 1),
    (2, 'The Left Hand of Darkness', 1969, 1),
    (3, 'The Dispossessed',          1974, 1),
    (4, 'Kindred',                   1979, 2),
    (5, 'Parable of the Sower',      1993, 2),
    (6, 'Guards! Guards!',           1989, 3),
    (7, 'Small Gods',                1992, 3),
    (8, 'The Fifth Season',          2015, 4),
    -- Of one year with Small Gods, and fantasy too: "books of the same year
    -- by title" puts it first, although its id is higher.
    (9, 'Lords and Ladies',          1992, 3);

INSERT INTO tags (id, name) VALUES
    (1, 'fantasy'),
    (2, 'science fiction'),
    (3, 'classic'),
    (4, 'award winner'),
    (5, 'humor'),
    (6, 'dystopia'),
    (7, 'poetry');                -- on no book

INSERT INTO book_tag (book_id, tag_id) VALUES
    (1, 1), (1, 3),
    (2, 2), (2, 3), (2, 4),
    (3, 2), (3, 4),
    (4, 2), (4, 3),
    (5, 2), (5, 6),
    (6, 1), (6, 5),
    (7, 1), (7, 5),
    (8, 1), (8, 4),
    (9, 1);
