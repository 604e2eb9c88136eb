-- Corrections: what a person changed by hand in the linked results (merge two people, split a
-- person, fix a quote's speaker, move an article to another story, split a story), with who,
-- when and why. A correction is never deleted: undoing it stamps undone_at, and only the
-- active ones (undone_at NULL) are applied. The linking steps read the active corrections
-- that touch their batch through correction_keys, so a relink reproduces the corrected result.

-- targets: JSON list of the ids the correction names (person ids, article id, story id);
-- payload: JSON object with what the correction needs to be applied again (link/corrections).
CREATE TABLE corrections (
    id {serial_pk},
    kind TEXT NOT NULL,
    targets TEXT NOT NULL,
    payload TEXT NOT NULL,
    author TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    undone_at TEXT,
    undone_by TEXT
);

-- The index a step looks corrections up by: "people:<article id>" for each article of a person
-- correction's members, "article:<id>" and "story:<id>" for story corrections, "quote:<article id>".
CREATE TABLE correction_keys (
    key TEXT NOT NULL,
    correction_id BIGINT NOT NULL REFERENCES corrections (id) ON DELETE CASCADE,
    PRIMARY KEY (key, correction_id)
);
