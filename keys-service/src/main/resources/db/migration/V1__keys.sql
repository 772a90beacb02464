-- LLM provider keys (metadata only; values live in the secret store), project bindings and usage.

CREATE TABLE provider_keys (
    id              uuid PRIMARY KEY,
    owner_id        uuid        NOT NULL,
    -- The owner's handle when the key was added, so teammates can see whose key a project uses.
    owner_handle    text        NOT NULL,
    name            text        NOT NULL,
    provider        text        NOT NULL,
    hint            text        NOT NULL,
    limit_micro_usd bigint CHECK (limit_micro_usd > 0),
    spent_micro_usd bigint      NOT NULL DEFAULT 0 CHECK (spent_micro_usd >= 0),
    -- The secret-store version the current value is at (a rotation writes a new one).
    secret_version  integer     NOT NULL,
    created_at      timestamptz NOT NULL,
    UNIQUE (owner_id, name)
);

-- A project without a row is on the platform key.
CREATE TABLE project_bindings (
    project    text PRIMARY KEY,
    key_id     uuid REFERENCES provider_keys (id),
    model      text,
    bound_by   uuid        NOT NULL,
    bound_at   timestamptz NOT NULL
);
CREATE INDEX project_bindings_by_key ON project_bindings (key_id);

-- Every usage report, once per project: a retried report finds its id here and is not counted
-- again; another project's ids are another project's (a node cannot void someone else's reports).
CREATE TABLE usage_reports (
    project     text        NOT NULL,
    usage_id    text        NOT NULL,
    key_id      uuid,
    micro_usd   bigint      NOT NULL CHECK (micro_usd >= 0),
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (project, usage_id)
);
CREATE INDEX usage_reports_platform ON usage_reports (project) WHERE key_id IS NULL;

-- The built-in encrypted secret store (used when no Vault is configured): AES-256-GCM, one row
-- per key version; the associated data binds each ciphertext to its key id, owner and version.
CREATE TABLE local_secrets (
    key_id        uuid    NOT NULL,
    version       integer NOT NULL,
    owner_id      uuid    NOT NULL,
    master_key_id text    NOT NULL,
    nonce         bytea   NOT NULL,
    ciphertext    bytea   NOT NULL,
    PRIMARY KEY (key_id, version)
);
