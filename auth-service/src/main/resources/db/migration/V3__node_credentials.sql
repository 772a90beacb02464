-- Node credentials (`aln_…`) are credentials like the others: the kind vocabulary of tokens.proto.
ALTER TABLE credentials DROP CONSTRAINT credentials_kind_check;
ALTER TABLE credentials ADD CONSTRAINT credentials_kind_check CHECK (kind IN ('PAT', 'LOGIN', 'SESSION', 'NODE'));
