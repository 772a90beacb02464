package dev.autolab.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Each rule fails when what it names is broken: the production rendering, broken one way per test,
 * must produce exactly the problem the rule describes.
 */
class BrokenManifestsTest {
    private final Manifests prod = Manifests.parse(Rendering.committed("prod"));
    private final Rules rules = new Rules(prod, OverlaysTest.VERSION);

    private Deployment deployment(String name) {
        return prod.of(Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private Container container(String name) {
        return deployment(name)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
    }

    private static void assertProblem(List<String> problems, String expected) {
        assertTrue(problems.contains(expected), "expected «" + expected + "» among " + problems);
    }

    private void assertDeploymentProblem(String expected) {
        assertProblem(rules.deployments(), expected);
    }

    @Test
    void theUnbrokenRenderingHasNoProblem() {
        assertEquals(List.of(), rules.deployments());
        assertEquals(List.of(), rules.networkPolicies());
        assertEquals(List.of(), rules.scaling(true));
    }

    @Test
    void aMissingReadinessProbe() {
        container("gateway").setReadinessProbe(null);
        assertDeploymentProblem(
                "Deployment gateway container gateway has no readiness probe (HTTP GET /q/health/ready)");
    }

    @Test
    void aLivenessProbeOnAPathTheServiceDoesNotServe() {
        container("auth-service").getLivenessProbe().getHttpGet().setPath("/health");
        assertDeploymentProblem(
                "Deployment auth-service container auth-service's liveness probe asks /health, not /q/health/live");
    }

    @Test
    void aProbeOnAPortTheContainerDoesNotExpose() {
        container("keys-service").getReadinessProbe().getHttpGet().setPort(new IntOrString("metrics"));
        assertDeploymentProblem("Deployment keys-service container keys-service's readiness probe asks port metrics,"
                + " which the container does not expose");
    }

    @Test
    void aContainerListeningElsewhereThanTheServiceDoes() {
        container("auth-service").getPorts().get(0).setContainerPort(8081);
        assertProblem(
                rules.servicePorts(),
                "Deployment auth-service does not expose port 9101, where auth-service listens"
                        + " (quarkus.http.port, AUTOLAB_AUTH_PORT)");
    }

    @Test
    void noMemoryLimitAndNoCpuRequest() {
        container("node-registry").getResources().getLimits().remove("memory");
        container("node-registry").getResources().getRequests().remove("cpu");
        assertDeploymentProblem("Deployment node-registry container node-registry has no memory limit");
        assertDeploymentProblem("Deployment node-registry container node-registry requests no cpu");
    }

    @Test
    void aContainerThatMayRunAsRoot() {
        container("gateway").getSecurityContext().setRunAsNonRoot(false);
        assertDeploymentProblem("Deployment gateway container gateway may run as root (runAsNonRoot is not true)");
    }

    @Test
    void aWritableRootFilesystem() {
        container("gateway").getSecurityContext().setReadOnlyRootFilesystem(null);
        assertDeploymentProblem("Deployment gateway container gateway has a writable root filesystem"
                + " (readOnlyRootFilesystem is not true)");
    }

    @Test
    void privilegeEscalation() {
        container("keys-service").getSecurityContext().setAllowPrivilegeEscalation(true);
        assertDeploymentProblem("Deployment keys-service container keys-service allows privilege escalation"
                + " (allowPrivilegeEscalation is not false)");
    }

    @Test
    void capabilitiesKept() {
        container("keys-service").getSecurityContext().getCapabilities().setDrop(List.of("NET_RAW"));
        assertDeploymentProblem(
                "Deployment keys-service container keys-service keeps capabilities (drop ALL, add none)");
    }

    @Test
    void noSeccompProfile() {
        container("gateway").getSecurityContext().setSeccompProfile(null);
        deployment("gateway")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getSecurityContext()
                .setSeccompProfile(null);
        assertDeploymentProblem("Deployment gateway container gateway has no seccomp profile (RuntimeDefault)");
    }

    @Test
    void noWritableTmp() {
        container("auth-service")
                .getVolumeMounts()
                .removeIf(m -> m.getMountPath().equals("/tmp"));
        assertDeploymentProblem("Deployment auth-service container auth-service has no emptyDir mounted at /tmp"
                + " (the root filesystem is read-only)");
    }

    @Test
    void noServiceSelectsTheDeployment() {
        prod.of(Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals("node-registry"))
                .forEach(s -> s.getSpec().setSelector(Map.of("app.kubernetes.io/name", "node-registy")));
        assertProblem(
                rules.deployments(),
                "Deployment node-registry has no Service selecting its pods "
                        + deployment("node-registry")
                                .getSpec()
                                .getTemplate()
                                .getMetadata()
                                .getLabels());
    }

    @Test
    void noDefaultDeny() {
        prod.all()
                .removeIf(o ->
                        o instanceof NetworkPolicy && o.getMetadata().getName().equals("default-deny"));
        assertProblem(
                rules.networkPolicies(),
                "no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)");
    }

    @Test
    void aPodNoPolicyOfItsOwnCovers() {
        prod.all()
                .removeIf(o ->
                        o instanceof NetworkPolicy && o.getMetadata().getName().equals("keys-service"));
        assertProblem(
                rules.networkPolicies(),
                "Deployment keys-service is selected by no NetworkPolicy of its own that says who may reach it");
    }

    @Test
    void aPolicyOpenToEveryone() {
        prod.of(NetworkPolicy.class).stream()
                .filter(p -> p.getMetadata().getName().equals("auth-service"))
                .forEach(p -> p.getSpec().getIngress().add(new NetworkPolicyIngressRule()));
        assertProblem(
                rules.networkPolicies(),
                "NetworkPolicy auth-service admits traffic from anywhere (an ingress rule without from)");
    }

    @Test
    void noAutoscalerForTheGateway() {
        prod.all()
                .removeIf(o -> o instanceof HorizontalPodAutoscaler
                        && o.getMetadata().getName().equals("gateway"));
        assertProblem(rules.scaling(true), "gateway has no HorizontalPodAutoscaler");
    }

    @Test
    void replicasSetUnderAnAutoscaler() {
        deployment("auth-service").getSpec().setReplicas(3);
        assertProblem(
                rules.scaling(true),
                "Deployment auth-service sets replicas although an HPA scales it (each apply would reset the HPA's choice)");
    }

    @Test
    void severalPodsWithoutADisruptionBudgetOrSpread() {
        prod.all()
                .removeIf(o -> o instanceof PodDisruptionBudget
                        && o.getMetadata().getName().equals("keys-service"));
        deployment("keys-service").getSpec().getTemplate().getSpec().setTopologySpreadConstraints(List.of());
        assertProblem(rules.scaling(true), "Deployment keys-service runs 2 pods but no PodDisruptionBudget covers it");
        assertProblem(rules.scaling(true), "Deployment keys-service runs 2 pods without topologySpreadConstraints");
    }

    @Test
    void aBudgetOverASinglePod() {
        deployment("node-registry").getSpec().setReplicas(1);
        assertProblem(
                rules.scaling(true),
                "Deployment node-registry runs 1 pod and a PodDisruptionBudget covers it: it would block every node drain");
    }

    @Test
    void anImageJibDoesNotBuild() {
        container("gateway").setImage("registry.example.org/autolab/gateway-old:" + OverlaysTest.VERSION);
        container("auth-service").setImage("registry.example.org/autolab/auth-service:latest");
        assertProblem(
                rules.images(),
                "Deployment gateway runs registry.example.org/autolab/gateway-old:" + OverlaysTest.VERSION
                        + ", not [registry/]autolab/gateway (quarkus.container-image.group and name)");
        assertProblem(
                rules.images(),
                "Deployment auth-service runs tag 'latest', not " + OverlaysTest.VERSION
                        + " (the tag Jib gives the image: the project version)");
    }

    @Test
    void runningAsAnotherUserThanTheImage() {
        deployment("gateway")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getSecurityContext()
                .setRunAsUser(1000L);
        assertProblem(rules.images(), "Deployment gateway runs as user 1000, the image as 185");
    }

    @Test
    void anIngressRoutingAnInternalServiceOrWithoutTls() {
        Ingress grpc = prod.of(Ingress.class).stream()
                .filter(i -> i.getMetadata().getName().equals("gateway-grpc"))
                .findFirst()
                .orElseThrow();
        List<HTTPIngressPath> paths = grpc.getSpec().getRules().get(0).getHttp().getPaths();
        HTTPIngressPath internal =
                new HTTPIngressPath(paths.get(0).getBackend(), "/autolab.auth.v1.InternalAuthService", "Prefix");
        paths.add(internal);
        grpc.getSpec().setTls(List.of());
        assertProblem(
                rules.ingresses(),
                "Ingress gateway-grpc routes /autolab.auth.v1.InternalAuthService, an internal service");
        assertProblem(
                rules.ingresses(), "Ingress gateway-grpc has no TLS: tokens would cross the network in the clear");
    }

    @Test
    void anIngressToAMissingPort() {
        prod.of(Ingress.class)
                .get(0)
                .getSpec()
                .getRules()
                .get(0)
                .getHttp()
                .getPaths()
                .get(0)
                .getBackend()
                .getService()
                .getPort()
                .setName("web");
        assertTrue(
                rules.ingresses().stream().anyMatch(p -> p.endsWith("port web, which does not exist")),
                rules.ingresses().toString());
    }

    @Test
    void aConfigMapThatIsNotDeployed() {
        prod.all()
                .removeIf(
                        o -> o instanceof ConfigMap && o.getMetadata().getName().equals("gateway-config"));
        assertProblem(rules.configMaps(), "Deployment gateway reads ConfigMap gateway-config, which is not deployed");
    }

    @Test
    void aSecretObjectInTheManifests() {
        prod.all()
                .add(new SecretBuilder()
                        .withNewMetadata()
                        .withName("autolab-auth-db")
                        .endMetadata()
                        .build());
        assertProblem(
                rules.noSecretObjects(),
                "Secret autolab-auth-db is part of the manifests: secrets are created by the operator, never committed");
    }

    @Test
    void aSecretNoOneToldTheOperatorAbout() {
        deployment("gateway")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getVolumes()
                .add(new VolumeBuilder()
                        .withName("mystery")
                        .withSecret(new SecretVolumeSource(null, null, null, "autolab-mystery"))
                        .build());
        assertProblem(
                rules.secretsDocumented("the guide names `autolab-auth-db` only"),
                "Secret autolab-mystery is referenced but deploy/README.md does not say how to create it");
    }

    @Test
    void aCommittedSecretValue(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ok.yaml"), "apiVersion: v1\nkind: Secret\nmetadata:\n  name: empty\n");
        Files.writeString(
                dir.resolve("leak.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: Secret\n"
                        + "metadata:\n  name: autolab-auth-db\nstringData:\n  password: hunter2\n");
        assertEquals(
                List.of("leak.yaml: Secret autolab-auth-db has a committed value"), Rules.committedSecretValues(dir));
    }

    @Test
    void aFieldTheKubernetesModelDoesNotKnow() {
        String typo = Rendering.committed("prod").replaceFirst("readinessProbe:", "readinesProbe:");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Manifests.parse(typo));
        assertTrue(e.getMessage().contains(".readinesProbe"), e.getMessage());
    }

    @Test
    void aKindOrVersionTheSuiteDoesNotUse() {
        Function<String, String> message =
                yaml -> assertThrows(IllegalArgumentException.class, () -> Manifests.parse(yaml))
                        .getMessage();
        assertEquals(
                "HorizontalPodAutoscaler/x is autoscaling/v1, expected autoscaling/v2",
                message.apply("apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: x\n"));
        assertEquals("unexpected kind Pod (x)", message.apply("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n"));
    }
}
