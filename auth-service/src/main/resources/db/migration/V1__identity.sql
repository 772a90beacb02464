-- Users, projects, memberships, credentials and pending device sign-ins.

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    handle        text        NOT NULL UNIQUE,
    display_name  text        NOT NULL,
    email         text        NOT NULL,
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL
);

CREATE TABLE projects (
    id         uuid PRIMARY KEY,
    owner_id   uuid        NOT NULL REFERENCES users (id),
    name       text        NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (owner_id, name)
);

CREATE TABLE memberships (
    project_id uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    uuid        NOT NULL REFERENCES users (id),
    role       text        NOT NULL CHECK (role IN ('VIEWER', 'RESEARCHER', 'ADMIN', 'OWNER')),
    added_at   timestamptz NOT NULL,
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

-- Every credential auth-service issues: PATs, login tokens and browser sessions.
-- Only the SHA-256 of a token is stored.
CREATE TABLE credentials (
    id             uuid PRIMARY KEY,
    user_id        uuid        NOT NULL REFERENCES users (id),
    name           text        NOT NULL,
    kind           text        NOT NULL CHECK (kind IN ('PAT', 'LOGIN', 'SESSION')),
    secret_hash    bytea       NOT NULL UNIQUE,
    created_at     timestamptz NOT NULL,
    last_used_at   timestamptz,
    expires_at     timestamptz,
    revoked_at     timestamptz,
    revoked_reason text
);
CREATE INDEX credentials_by_user ON credentials (user_id, created_at DESC);
-- A name is unique among a user's live tokens (sessions are not named by people).
CREATE UNIQUE INDEX credentials_live_name ON credentials (user_id, name)
    WHERE revoked_at IS NULL AND kind <> 'SESSION';

-- RFC 8628 device authorization requests.
CREATE TABLE device_grants (
    id               uuid PRIMARY KEY,
    device_code_hash bytea       NOT NULL UNIQUE,
    user_code        text        NOT NULL,
    client_name      text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'DENIED', 'CONSUMED')),
    user_id          uuid REFERENCES users (id),
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    last_polled_at   timestamptz
);
CREATE UNIQUE INDEX device_grants_pending_code ON device_grants (user_code) WHERE status = 'PENDING';
