package dev.autolab.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The settings each overlay promises: sign-up closed with bootstrap users in production and open in
 * dev; keys-service on Vault by Kubernetes auth in production, with a role, policy and token that fit
 * what keys-service actually does.
 */
class SettingsTest {
    private final Manifests prod = Manifests.parse(Rendering.committed("prod"));
    private final Manifests dev = Manifests.parse(Rendering.committed("dev"));

    private static Map<String, String> config(Manifests m, String name) {
        return m.of(ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow()
                .getData();
    }

    private static Deployment deployment(Manifests m, String name) {
        return m.of(Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** The volume mounted at the folder holding {@code file}, and the file's name in it. */
    private static Volume volumeHolding(Deployment d, String file) {
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        String folder = file.substring(0, file.lastIndexOf('/'));
        VolumeMount mount = c.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(folder))
                .findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted at " + folder));
        return d.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void productionClosesSignUpAndReadsTheFirstUsersFromTheirSecret() {
        Map<String, String> auth = config(prod, "auth-service-config");
        assertEquals("false", auth.get("AUTOLAB_SIGNUP_OPEN"));
        String file = auth.get("AUTOLAB_BOOTSTRAP_USERS_FILE");
        Volume users = volumeHolding(deployment(prod, "auth-service"), file);
        assertEquals("autolab-bootstrap-users", users.getSecret().getSecretName());
        assertEquals(
                List.of("users"),
                users.getSecret().getItems().stream()
                        .filter(i -> i.getPath().equals(file.substring(file.lastIndexOf('/') + 1)))
                        .map(i -> i.getKey())
                        .toList());
    }

    @Test
    void developmentOpensSignUpAndNeedsNoBootstrapUsers() {
        Map<String, String> auth = config(dev, "auth-service-config");
        assertEquals("true", auth.get("AUTOLAB_SIGNUP_OPEN"));
        assertTrue(!auth.containsKey("AUTOLAB_BOOTSTRAP_USERS_FILE"), auth.toString());
        assertEquals("local", config(dev, "keys-service-config").get("AUTOLAB_KEYS_SECRET_STORE"));
    }

    @Test
    void productionKeysServiceLogsInToVaultWithAProjectedTokenForVault() {
        Map<String, String> keys = config(prod, "keys-service-config");
        assertEquals("vault", keys.get("AUTOLAB_KEYS_SECRET_STORE"));
        assertEquals("kubernetes", keys.get("AUTOLAB_KEYS_VAULT_AUTH"));
        assertTrue(keys.get("VAULT_ADDR").startsWith("https://"), keys.get("VAULT_ADDR"));
        Deployment d = deployment(prod, "keys-service");
        assertEquals("keys-service", d.getSpec().getTemplate().getSpec().getServiceAccountName());
        String file = keys.get("AUTOLAB_KEYS_VAULT_SERVICE_ACCOUNT_TOKEN_FILE");
        var token = volumeHolding(d, file).getProjected().getSources().get(0).getServiceAccountToken();
        assertEquals(file.substring(file.lastIndexOf('/') + 1), token.getPath());

        // The Vault role accepts exactly this account, namespace and audience, and grants the policy.
        String role = Rendering.read(Rendering.HOME.resolve("vault/kubernetes-role.sh"));
        assertTrue(role.contains("auth/kubernetes/role/" + keys.get("AUTOLAB_KEYS_VAULT_ROLE")), role);
        assertTrue(role.contains("bound_service_account_names=keys-service"), role);
        assertTrue(role.contains("NAMESPACE=${NAMESPACE:-" + d.getMetadata().getNamespace() + "}"), role);
        assertTrue(role.contains("AUDIENCE=${AUDIENCE:-" + token.getAudience() + "}"), role);
        assertTrue(role.contains("token_policies=keys-service"), role);
    }

    @Test
    void theVaultPolicyGrantsExactlyThePathKeysServiceUses() {
        String source = Rendering.read(
                Rendering.REPO.resolve("keys-service/src/main/java/dev/autolab/keys/config/KeysConfig.java"));
        String mount = defaultOf(source, "mount");
        String prefix = defaultOf(source, "prefix");
        String policy = Rendering.read(Rendering.HOME.resolve("vault/keys-service-policy.hcl"));
        List<String> paths = Pattern.compile("(?m)^path \"([^\"]+)\"")
                .matcher(policy)
                .results()
                .map(r -> r.group(1))
                .toList();
        assertEquals(List.of(mount + "/data/" + prefix + "/*", mount + "/metadata/" + prefix + "/*"), paths);
        assertTrue(policy.contains("capabilities = [\"create\", \"update\", \"read\"]"), policy);
        assertTrue(policy.contains("capabilities = [\"delete\"]"), policy);
    }

    /** The {@code @WithDefault} of a method of KeysConfig's Vault settings. */
    private static String defaultOf(String source, String method) {
        Matcher m = Pattern.compile("@WithDefault\\(\"([^\"]*)\"\\)\\s+String " + method + "\\(\\);")
                .matcher(source);
        assertTrue(m.find(), "KeysConfig has no default for " + method);
        return m.group(1);
    }

    @Test
    void theOptionalPostgresClusterFitsTheServicesSecretsAndPolicy() {
        List<com.fasterxml.jackson.databind.JsonNode> docs =
                Manifests.documents(Rendering.read(Rendering.HOME.resolve("optional/cnpg/cluster.yaml")));
        var cluster = docs.stream()
                .filter(d -> d.path("kind").asText().equals("Cluster"))
                .findFirst()
                .orElseThrow()
                .path("spec");
        // The label the services' egress policy allows on 5432.
        var policy = prod.of(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class).stream()
                .filter(p -> p.getMetadata().getName().equals("allow-database"))
                .findFirst()
                .orElseThrow();
        var allowed = policy.getSpec()
                .getEgress()
                .get(0)
                .getTo()
                .get(0)
                .getPodSelector()
                .getMatchLabels();
        allowed.forEach((k, v) -> assertEquals(
                v, cluster.path("inheritedMetadata").path("labels").path(k).asText(), k));
        // Each role's password is the one in the Secret its service reads.
        assertEquals(
                "autolab-auth-db",
                cluster.path("bootstrap")
                        .path("initdb")
                        .path("secret")
                        .path("name")
                        .asText());
        assertEquals(
                "autolab_auth",
                cluster.path("bootstrap").path("initdb").path("database").asText());
        List<String> roleSecrets = new java.util.ArrayList<>();
        cluster.path("managed")
                .path("roles")
                .forEach(r ->
                        roleSecrets.add(r.path("passwordSecret").path("name").asText()));
        assertEquals(List.of("autolab-keys-db", "autolab-nodes-db"), roleSecrets);
        List<String> databases = docs.stream()
                .filter(d -> d.path("kind").asText().equals("Database"))
                .map(d -> d.path("spec").path("name").asText())
                .toList();
        assertEquals(List.of("autolab_keys", "autolab_nodes"), databases);
        for (String service : List.of("auth-service", "keys-service", "node-registry")) {
            String secret =
                    "autolab-" + (service.equals("node-registry") ? "nodes" : service.replace("-service", "")) + "-db";
            assertTrue(
                    new Rules(prod, OverlaysTest.VERSION).referencedSecrets().contains(secret),
                    service + " reads " + secret);
        }
    }

    @Test
    void theGrpcIngressRoutesExactlyTheGatewaysPassThroughAllowList() {
        // PublicServices names each allowed service by its generated class (dev.autolab.proto.<svc>.v1.XGrpc),
        // whose gRPC name is autolab.<svc>.v1.X (the proto package).
        String source = Rendering.read(
                Rendering.REPO.resolve("gateway/src/main/java/dev/autolab/gateway/passthrough/PublicServices.java"));
        java.util.Set<String> allowed = new java.util.TreeSet<>();
        Pattern.compile("(?m)^import dev\\.autolab\\.proto\\.([a-z]+)\\.(v[0-9]+)\\.([A-Za-z]+)Grpc;")
                .matcher(source)
                .results()
                .filter(r -> source.contains(r.group(3) + "Grpc.SERVICE_NAME"))
                .forEach(r -> allowed.add("/autolab." + r.group(1) + "." + r.group(2) + "." + r.group(3)));
        assertTrue(allowed.size() >= 10, allowed.toString());
        for (Manifests m : List.of(prod, dev)) {
            java.util.Set<String> routed = new java.util.TreeSet<>();
            m.of(io.fabric8.kubernetes.api.model.networking.v1.Ingress.class).stream()
                    .filter(i -> i.getMetadata().getName().equals("gateway-grpc"))
                    .forEach(i -> i.getSpec()
                            .getRules()
                            .forEach(r -> r.getHttp().getPaths().forEach(p -> routed.add(p.getPath()))));
            assertEquals(allowed, routed);
        }
    }
}
