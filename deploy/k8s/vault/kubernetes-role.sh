#!/usr/bin/env bash
# Sets up Vault for keys-service: the KV v2 mount, the policy, the Kubernetes auth method and the
# keys-service role bound to keys-service's service account. Idempotent; run it with a Vault token
# allowed to manage auth methods and policies (VAULT_ADDR and VAULT_TOKEN in the environment).
#
#   NAMESPACE=autolab deploy/k8s/vault/kubernetes-role.sh
#
# Vault running inside the cluster (the official Helm chart) needs no kubernetes_host argument: it
# uses its own service account to review tokens. For a Vault outside the cluster, set KUBERNETES_HOST
# (the API server's URL) and KUBERNETES_CA_CERT (a file), and give Vault a token reviewer JWT
# (see Vault's Kubernetes auth documentation).
set -euo pipefail
cd "$(dirname "$0")"

NAMESPACE=${NAMESPACE:-autolab}
# The projected token keys-service presents has this audience (base/keys-service/deployment.yaml).
AUDIENCE=${AUDIENCE:-vault}

if ! vault secrets list -format=json | grep -q '"secret/"'; then
  vault secrets enable -path=secret -version=2 kv
fi

vault policy write keys-service keys-service-policy.hcl

if ! vault auth list -format=json | grep -q '"kubernetes/"'; then
  vault auth enable kubernetes
fi
if [ -n "${KUBERNETES_HOST:-}" ]; then
  vault write auth/kubernetes/config kubernetes_host="$KUBERNETES_HOST" \
    kubernetes_ca_cert=@"${KUBERNETES_CA_CERT:?set KUBERNETES_CA_CERT to the API server CA file}"
else
  vault write auth/kubernetes/config kubernetes_host="https://kubernetes.default.svc:443"
fi

# Only the keys-service service account of this namespace may log in as keys-service, and only with a
# token meant for Vault. The token lives an hour; keys-service logs in again with its current JWT when
# Vault refuses an expired one.
vault write auth/kubernetes/role/keys-service \
  bound_service_account_names=keys-service \
  bound_service_account_namespaces="$NAMESPACE" \
  audience="$AUDIENCE" \
  token_policies=keys-service \
  token_no_default_policy=true \
  token_ttl=1h \
  token_max_ttl=1h

echo "Vault: policy keys-service and role auth/kubernetes/role/keys-service (namespace $NAMESPACE) are in place."
