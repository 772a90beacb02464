-- Execution nodes of projects. A node's credential lives in auth-service; only its id is shared.

CREATE TABLE nodes (
    id                  uuid PRIMARY KEY,
    project             text        NOT NULL,
    -- Stable per machine (e.g. /etc/machine-id): registering the same machine again finds its row.
    machine_id          text        NOT NULL,
    -- The name the node reports (`serve --name`, default the machine's hostname).
    hostname            text        NOT NULL,
    labels              jsonb       NOT NULL DEFAULT '{}',
    resources           jsonb       NOT NULL DEFAULT '{}',
    -- Who registered it (the handle as it was then, and the user), for `autolab nodes`.
    registered_by       text        NOT NULL,
    registered_by_user  uuid        NOT NULL,
    registered_at       timestamptz NOT NULL,
    -- Flushed from memory in batches (not per heartbeat); online iff lease_expires_at > now.
    last_seen_at        timestamptz,
    lease_expires_at    timestamptz,
    UNIQUE (project, machine_id)
);

-- The sweeper looks for nodes offline past the grace period.
CREATE INDEX nodes_by_lease ON nodes ((coalesce(lease_expires_at, registered_at)));
