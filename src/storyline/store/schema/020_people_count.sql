-- How many identities the people list holds (live, named in an article), kept with the rows
-- it counts as "articles" is: the list's total is read on every page, and counting the table
-- grows with it (36 ms at 69k people).
INSERT INTO people_stats (name, value)
SELECT 'people', COUNT(*) FROM persons WHERE merged_into IS NULL AND articles > 0
ON CONFLICT (name) DO UPDATE SET value = excluded.value;
