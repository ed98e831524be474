-- The comment store's tables. Store.initialize runs this on every start, hence IF NOT EXISTS.
CREATE TABLE IF NOT EXISTS comments (
    id          TEXT PRIMARY KEY,
    post        TEXT NOT NULL,
    reply_to    TEXT NOT NULL DEFAULT '',
    author      TEXT NOT NULL,
    email       TEXT NOT NULL,
    website     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    identity    TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('unverified', 'verified', 'approved', 'rejected')),
    created_at  TEXT NOT NULL,
    verified_at TEXT,
    decided_at  TEXT,
    reason      TEXT NOT NULL DEFAULT '',
    verify_mail TEXT NOT NULL DEFAULT 'none',
    owner_mail  TEXT NOT NULL DEFAULT 'none',
    exported_at TEXT
);
CREATE INDEX IF NOT EXISTS comments_by_state ON comments (state, created_at);
CREATE INDEX IF NOT EXISTS comments_by_email ON comments (email COLLATE NOCASE, created_at);
-- Nonces of form tokens that produced a comment: a token works once.
CREATE TABLE IF NOT EXISTS used_tokens (
    nonce   TEXT PRIMARY KEY,
    used_at TEXT NOT NULL
);
