-- A story's coverage: the first and last day its articles were published, stated or inferred
-- (link/stories/dates.py), kept with its facts so that the stories list shows the real span
-- (the stated dates alone often span one day when most articles are undated).
ALTER TABLE story_facts ADD COLUMN coverage_first TEXT;
ALTER TABLE story_facts ADD COLUMN coverage_last TEXT;
