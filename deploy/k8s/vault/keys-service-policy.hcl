# keys-service's Vault policy: exactly its own KV v2 subtree, nothing else.
# keys-service keeps each key's value at <mount>/<prefix>/<owner id>/<key id>, with mount "secret"
# and prefix "autolab/keys" (autolab.keys.vault.mount / .prefix; KeysConfig). KV v2 splits that path
# into data/ (the versions) and metadata/ (removal of every version).
# If you change the mount or the prefix, change both paths here.

# Create a key's first version (check-and-set 0), write the next one on rotation (check-and-set on
# the current), and read a version when a node resolves its project's key.
path "secret/data/autolab/keys/*" {
  capabilities = ["create", "update", "read"]
}

# Removing a key deletes its metadata, which destroys every version.
path "secret/metadata/autolab/keys/*" {
  capabilities = ["delete"]
}

# sys/health (readiness) needs no token. No list, no other mount, no sys/ path.
