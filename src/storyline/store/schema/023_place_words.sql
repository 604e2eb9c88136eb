-- One-word "people" that are places (link/people/places.py): the first words of the
-- organisation and place names each done article gives ("harbourne" for "Harbourne City
-- Council"), replaced with the article's people, and each identity's place key (its folded
-- one-word name, when it has no title, no longer alias and no merge behind it). place_like
-- marks an identity whose key as many articles name as a place as it has articles of its
-- own: the people lists leave it out (its page stays). The store refreshes the mark of every
-- identity under a key whose count changes, in the write that changes it.
CREATE TABLE place_words (
    word_key TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (word_key, article_id)
);

CREATE INDEX place_words_article ON place_words (article_id);

ALTER TABLE persons ADD COLUMN place_key TEXT;
ALTER TABLE persons ADD COLUMN place_like INTEGER NOT NULL DEFAULT 0;

CREATE INDEX persons_place_key ON persons (place_key) WHERE place_key IS NOT NULL;
