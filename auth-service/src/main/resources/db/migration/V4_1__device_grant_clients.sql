-- Which registered OAuth 2.0 client asked for each device code (RFC 8628 client_id): the approval page
-- names it, and only that client may redeem the code. Requests from before were all the CLI's.
ALTER TABLE device_grants ADD COLUMN client_id text NOT NULL DEFAULT 'autolab-cli';
