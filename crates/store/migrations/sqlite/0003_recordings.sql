-- Recordings: what a processing interview is doing, the options of its recording,
-- and what speech-to-text found.
ALTER TABLE interviews ADD COLUMN stage TEXT;
ALTER TABLE interviews ADD COLUMN progress REAL NOT NULL DEFAULT 0;
ALTER TABLE interviews ADD COLUMN media TEXT;
ALTER TABLE interviews ADD COLUMN speech TEXT;
