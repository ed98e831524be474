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
    -- live, reply: the emails to a commenter whose address is confirmed (commenter_mail.py).
    kind            TEXT NOT NULL CHECK (kind IN ('verify', 'owner', 'live', 'reply')),
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
-- ---- Publishing on approval (publisher.py) ----
-- One row: how the last build-and-deploy after approvals went, and the approvals not live
-- yet. The approved comments themselves are never touched by a failed publish: they stay
-- approved, and the next publish exports them again.
CREATE TABLE IF NOT EXISTS publish_state (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    -- idle (never ran), running, published, failed
    outcome          TEXT NOT NULL DEFAULT 'idle',
    last_attempt_at  TEXT,
    last_finished_at TEXT,
    last_success_at  TEXT,
    -- What went wrong, in a few lines (no email addresses).
    error            TEXT NOT NULL DEFAULT '',
    -- JSON list of comment ids approved but not yet in a deployed site.
    pending_ids      TEXT NOT NULL DEFAULT '[]',
    attempts         INTEGER NOT NULL DEFAULT 0,
    -- The owner's email about the last failure: none, queued (sent by the publisher's
    -- thread, tried again until it goes), sent.
    notice           TEXT NOT NULL DEFAULT 'none'
);
-- Moderating from a phone (issue 10): the owner's emailed links work once, and every decision
-- is on record.
-- Nonces of the owner's links (Approve/Reject/Reply in a notice, sign-in) that were used.
CREATE TABLE IF NOT EXISTS used_owner_nonces (
    nonce   TEXT PRIMARY KEY,
    used_at TEXT NOT NULL
);
-- Who did what to which comment, when: ``actor`` is the owner (the only moderator), ``via`` how
-- (link: a notice's link; session: the moderation page; task: `invoke comments.*`).
CREATE TABLE IF NOT EXISTS audit (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    via        TEXT NOT NULL CHECK (via IN ('link', 'session', 'task')),
    action     TEXT NOT NULL,
    comment_id TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS audit_by_time ON audit (at);
-- ---- Emails to commenters and their data rights (commenter_mail.py, privacy.py) ----
-- Addresses (lower-cased) that asked for no more email: about replies to one comment
-- (comment_id), or about anything (comment_id ''). Kept by address, so that it holds for
-- their later comments too.
CREATE TABLE IF NOT EXISTS mail_optouts (
    email      TEXT NOT NULL,
    comment_id TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL,
    PRIMARY KEY (email, comment_id)
);
-- Comments deleted at their author's request after an export wrote their record: the file
-- <post>/<comment_id>.md goes at the next export or `invoke comments.forget`. Nothing personal.
CREATE TABLE IF NOT EXISTS removed_records (
    comment_id   TEXT PRIMARY KEY,
    post         TEXT NOT NULL,
    requested_at TEXT NOT NULL
);
-- ---- Visits from paper (visits.py) ----
-- Pages opened from a printed QR code (their address carries utm_campaign), counted per day,
-- campaign, source and page: no address, no user agent, nothing about the visitor.
CREATE TABLE IF NOT EXISTS visits (
    day      TEXT NOT NULL,  -- YYYY-MM-DD, UTC
    campaign TEXT NOT NULL,
    source   TEXT NOT NULL,
    path     TEXT NOT NULL,
    count    INTEGER NOT NULL,
    -- The first visit of the day: comments on the post after it "followed" the campaign.
    first_at TEXT NOT NULL,
    PRIMARY KEY (day, campaign, source, path)
);
