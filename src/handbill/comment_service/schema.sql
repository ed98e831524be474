-- The comment store's tables. Store.initialize runs this on every start, hence IF NOT EXISTS;
-- a database made by an earlier version is then brought up to date by store.migrate.
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
    exported_at TEXT
);
CREATE INDEX IF NOT EXISTS comments_by_state ON comments (state, created_at);
CREATE INDEX IF NOT EXISTS comments_by_email ON comments (email COLLATE NOCASE, created_at);
-- Nonces of form tokens that produced a comment: a token works once.
CREATE TABLE IF NOT EXISTS used_tokens (
    nonce   TEXT PRIMARY KEY,
    used_at TEXT NOT NULL
);
-- The emails a comment calls for: the link to the commenter ('verify', written in the
-- transaction that stores the comment) and the notice to the owner ('owner', written in the
-- one that verifies it). The service's sender thread (sender.py) delivers them, so no
-- request waits on SMTP; a row is the mail's whole history, never deleted.
CREATE TABLE IF NOT EXISTS outbox (
    id              INTEGER PRIMARY KEY,
    comment_id      TEXT NOT NULL REFERENCES comments (id),
    kind            TEXT NOT NULL CHECK (kind IN ('verify', 'owner')),
    -- queued: to be sent at next_attempt_at; sent; failed: gave up after its attempts
    -- (`invoke comments.retry-mail` queues it again); cancelled: nothing left to send
    -- (the comment was decided, or owner notices were switched off).
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed', 'cancelled')),
    queued_at       TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    -- Set while a sender is sending it (a lease, so that two senders never send it twice);
    -- batch names the email carrying it: a verification email may carry several comments.
    sending_since   TEXT,
    batch           TEXT,
    sent_at         TEXT,
    last_error      TEXT NOT NULL DEFAULT '',
    UNIQUE (comment_id, kind)
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt_at);
-- One row, rewritten by GET /health: proof that the database takes a write.
CREATE TABLE IF NOT EXISTS heartbeat (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at TEXT NOT NULL
);
