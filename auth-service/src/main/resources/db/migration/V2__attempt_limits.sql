-- Attempt counters that every replica of auth-service shares (sign-in guesses, device-code
-- requests, wrong user codes): an attempt is reserved here, atomically, before any work is done.
CREATE TABLE attempt_limits (
    key             text        PRIMARY KEY,
    attempts        integer     NOT NULL,
    next_allowed_at timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX attempt_limits_by_age ON attempt_limits (updated_at);

-- The approval page shows where a sign-in request came from (RFC 8628 §5.4).
ALTER TABLE device_grants ADD COLUMN client_address text NOT NULL DEFAULT '';
-- Expired requests are deleted by a periodic sweep, not on the request path.
CREATE INDEX device_grants_by_expiry ON device_grants (expires_at);
