-- The identities absorbed into another, by the one they point at: when that one is absorbed in
-- turn, put_people points them at the new absorber, and without this index each such update
-- read every person (270 redirects a batch at 30k articles: 1.1 s of the people step). Partial:
-- live identities, nearly all of them, are not in it.
CREATE INDEX persons_merged_into ON persons (merged_into) WHERE merged_into IS NOT NULL;
