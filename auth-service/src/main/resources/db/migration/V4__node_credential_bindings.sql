-- What a node credential (kind NODE) is bound to: its node, its project, and the PAT (or login token)
-- that registered it, whose revocation, expiry and user's role it follows. Set for NODE rows only.
ALTER TABLE credentials
    ADD COLUMN node_id         uuid,
    -- No foreign key: a deleted project's node credentials stay, revoked (role_lost), as history.
    ADD COLUMN project_id      uuid,
    -- `owner/name` when minted (neither part can be renamed), for the principal without a join.
    ADD COLUMN project         text,
    ADD COLUMN source_token_id uuid REFERENCES credentials (id);

ALTER TABLE credentials ADD CONSTRAINT credentials_node_binding CHECK (
    (kind = 'NODE' AND node_id IS NOT NULL AND project_id IS NOT NULL AND project IS NOT NULL
        AND source_token_id IS NOT NULL)
    OR (kind <> 'NODE' AND node_id IS NULL AND project_id IS NULL AND project IS NULL AND source_token_id IS NULL));

-- Names are unique among a user's live PATs and login tokens only: two machines registered by one
-- user may well share a hostname (`node@gpu`), and node credentials are not named by people.
DROP INDEX credentials_live_name;
CREATE UNIQUE INDEX credentials_live_name ON credentials (user_id, name)
    WHERE revoked_at IS NULL AND kind IN ('PAT', 'LOGIN');

-- At most one unrevoked credential per node: registering again revokes the older one first.
CREATE UNIQUE INDEX credentials_live_node ON credentials (node_id) WHERE revoked_at IS NULL;
-- The cascades: a revoked PAT's node credentials, and a member's (or project's) on role loss.
CREATE INDEX credentials_live_by_source ON credentials (source_token_id)
    WHERE revoked_at IS NULL AND source_token_id IS NOT NULL;
CREATE INDEX credentials_live_node_by_project ON credentials (project_id, user_id)
    WHERE revoked_at IS NULL AND kind = 'NODE';
