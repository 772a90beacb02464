package dev.autolab.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * What every rendering of the suite must satisfy, one method per rule, each answering the problems it
 * found (empty when the rule holds) in words an operator can act on.
 */
final class Rules {
    /** The services, by the name their module, image, Deployment and Service share. */
    static final List<String> SERVICES = List.of("auth-service", "keys-service", "node-registry", "gateway");

    /** What takes load from people and nodes scales by CPU in production. */
    static final Set<String> AUTOSCALED = Set.of("gateway", "auth-service");

    static final String READY = "/q/health/ready";
    static final String LIVE = "/q/health/live";

    private final Manifests manifests;
    private final String version;

    Rules(Manifests manifests, String version) {
        this.manifests = manifests;
        this.version = version;
    }

    /** Probes, resources, the security context, /tmp and a Service for every Deployment. */
    List<String> deployments() {
        List<String> problems = new ArrayList<>();
        for (Deployment d : manifests.of(Deployment.class)) {
            String name = "Deployment " + d.getMetadata().getName();
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
            if (pod.getContainers() == null || pod.getContainers().isEmpty()) {
                problems.add(name + " has no container");
                continue;
            }
            for (Container c : pod.getContainers()) {
                String where = name + " container " + c.getName();
                probe(problems, where, "readiness", c.getReadinessProbe(), READY, c);
                probe(problems, where, "liveness", c.getLivenessProbe(), LIVE, c);
                resources(problems, where, c);
                security(problems, where, pod.getSecurityContext(), c.getSecurityContext());
                if (!writableTmp(pod, c)) {
                    problems.add(where + " has no emptyDir mounted at /tmp (the root filesystem is read-only)");
                }
            }
            List<Service> selecting = manifests.of(Service.class).stream()
                    .filter(s -> Selectors.matches(s.getSpec().getSelector(), labels))
                    .toList();
            if (selecting.isEmpty()) {
                problems.add(name + " has no Service selecting its pods " + labels);
            }
            for (Service s : selecting) {
                for (ServicePort p : s.getSpec().getPorts()) {
                    if (containerPort(pod.getContainers(), p.getTargetPort()).isEmpty()) {
                        problems.add("Service " + s.getMetadata().getName() + " port " + p.getName() + " targets "
                                + show(p.getTargetPort()) + ", which " + name + " does not expose");
                    }
                }
            }
        }
        return problems;
    }

    /** Each service listens where the manifests say, and serves its health where the probes look. */
    List<String> servicePorts() {
        List<String> problems = new ArrayList<>();
        for (Deployment d : manifests.of(Deployment.class)) {
            String service = d.getMetadata().getName();
            if (!SERVICES.contains(service)) {
                problems.add("Deployment " + service + " is not one of the services " + SERVICES);
                continue;
            }
            ServiceConfig config = ServiceConfig.of(service);
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            String env = config.envName("quarkus.http.port").orElse(null);
            String port = Optional.ofNullable(env)
                    .flatMap(e -> environment(d, c, e))
                    .or(() -> config.defaultValue("quarkus.http.port"))
                    .orElse("8080");
            boolean exposed = c.getPorts() != null
                    && c.getPorts().stream()
                            .anyMatch(p -> String.valueOf(p.getContainerPort()).equals(port));
            if (!exposed) {
                problems.add("Deployment " + service + " does not expose port " + port + ", where " + service
                        + " listens (quarkus.http.port, " + env + ")");
            }
            for (String moved : List.of(
                    "quarkus.management.enabled",
                    "quarkus.http.non-application-root-path",
                    "quarkus.smallrye-health.root-path",
                    "quarkus.smallrye-health.liveness-path",
                    "quarkus.smallrye-health.readiness-path")) {
                if (config.get(moved).isPresent()) {
                    problems.add(service + " sets " + moved + ": its health is no longer at " + READY + " and " + LIVE
                            + " on its one port, where the probes look");
                }
            }
            if (!service.equals("gateway")
                    && !config.get("quarkus.grpc.server.use-separate-server")
                            .orElse("true")
                            .equals("false")) {
                problems.add(service + " serves gRPC on a separate port; the manifests expose one port");
            }
        }
        return problems;
    }

    /** Default deny, an allow policy for every pod, and no rule that opens a pod to everyone. */
    List<String> networkPolicies() {
        List<String> problems = new ArrayList<>();
        List<NetworkPolicy> policies = manifests.of(NetworkPolicy.class);
        boolean defaultDeny = policies.stream().anyMatch(Rules::isDefaultDeny);
        if (!defaultDeny) {
            problems.add("no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)");
        }
        for (Deployment d : manifests.of(Deployment.class)) {
            Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
            boolean ingress = policies.stream()
                    .filter(p -> !isDefaultDeny(p))
                    .filter(p -> p.getSpec().getPolicyTypes().contains("Ingress")
                            && p.getSpec().getIngress() != null
                            && !p.getSpec().getIngress().isEmpty())
                    // Its own: the policy selects this Deployment's pods and no other Deployment's.
                    .anyMatch(p -> Selectors.matches(p.getSpec().getPodSelector(), labels)
                            && manifests.of(Deployment.class).stream()
                                            .filter(other -> Selectors.matches(
                                                    p.getSpec().getPodSelector(),
                                                    other.getSpec()
                                                            .getTemplate()
                                                            .getMetadata()
                                                            .getLabels()))
                                            .count()
                                    == 1);
            if (!ingress) {
                problems.add("Deployment " + d.getMetadata().getName()
                        + " is selected by no NetworkPolicy of its own that says who may reach it");
            }
        }
        for (NetworkPolicy p : policies) {
            String name = "NetworkPolicy " + p.getMetadata().getName();
            if (p.getSpec().getIngress() != null) {
                p.getSpec().getIngress().forEach(rule -> {
                    if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
                        problems.add(name + " admits traffic from anywhere (an ingress rule without from)");
                    }
                });
            }
            if (p.getSpec().getEgress() != null) {
                p.getSpec().getEgress().forEach(rule -> {
                    if (rule.getTo() == null || rule.getTo().isEmpty()) {
                        problems.add(name + " lets pods reach anywhere (an egress rule without to)");
                    }
                });
            }
        }
        return problems;
    }

    /**
     * HPAs where production needs them, a PodDisruptionBudget and topology spread for every workload of
     * more than one pod, and no budget for a single pod (it would block every node drain).
     */
    List<String> scaling(boolean production) {
        List<String> problems = new ArrayList<>();
        List<HorizontalPodAutoscaler> hpas = manifests.of(HorizontalPodAutoscaler.class);
        for (HorizontalPodAutoscaler h : hpas) {
            String target = h.getSpec().getScaleTargetRef().getName();
            if (manifests.of(Deployment.class).stream()
                    .noneMatch(d -> d.getMetadata().getName().equals(target))) {
                problems.add("HorizontalPodAutoscaler " + h.getMetadata().getName() + " scales " + target
                        + ", which is not deployed");
            }
        }
        if (production) {
            for (String service : AUTOSCALED) {
                Optional<HorizontalPodAutoscaler> h = hpaFor(service);
                if (h.isEmpty()) {
                    problems.add(service + " has no HorizontalPodAutoscaler");
                } else if (h.get().getSpec().getMinReplicas() == null
                        || h.get().getSpec().getMinReplicas() < 2
                        || h.get().getSpec().getMaxReplicas()
                                <= h.get().getSpec().getMinReplicas()) {
                    problems.add("HorizontalPodAutoscaler " + service + " must keep at least 2 pods and may add more");
                }
            }
        }
        for (Deployment d : manifests.of(Deployment.class)) {
            String name = d.getMetadata().getName();
            Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
            Optional<HorizontalPodAutoscaler> hpa = hpaFor(name);
            if (hpa.isPresent() && d.getSpec().getReplicas() != null) {
                problems.add("Deployment " + name + " sets replicas although an HPA scales it"
                        + " (each apply would reset the HPA's choice)");
            }
            int least = hpa.map(h -> Objects.requireNonNullElse(h.getSpec().getMinReplicas(), 1))
                    .orElse(Objects.requireNonNullElse(d.getSpec().getReplicas(), 1));
            boolean budget = manifests.of(PodDisruptionBudget.class).stream()
                    .anyMatch(b -> Selectors.matches(b.getSpec().getSelector(), labels));
            if (least > 1 && !budget) {
                problems.add("Deployment " + name + " runs " + least + " pods but no PodDisruptionBudget covers it");
            }
            if (least <= 1 && budget) {
                problems.add("Deployment " + name + " runs 1 pod and a PodDisruptionBudget covers it:"
                        + " it would block every node drain");
            }
            var spread = d.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
            if (least > 1
                    && (spread == null
                            || spread.stream().noneMatch(t -> Selectors.matches(t.getLabelSelector(), labels)))) {
                problems.add("Deployment " + name + " runs " + least + " pods without topologySpreadConstraints");
            }
        }
        return problems;
    }

    /** Each image is the one Jib builds for that service (group, name, tag), run as the image's user. */
    List<String> images() {
        List<String> problems = new ArrayList<>();
        for (Deployment d : manifests.of(Deployment.class)) {
            String service = d.getMetadata().getName();
            if (!SERVICES.contains(service)) {
                continue;
            }
            ServiceConfig config = ServiceConfig.of(service);
            String expected = config.get("quarkus.container-image.group").orElse("") + "/"
                    + config.get("quarkus.container-image.name").orElse(service);
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                String image = c.getImage();
                int colon = image.lastIndexOf(':');
                String repository = colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
                String tag = colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "";
                if (!(repository.equals(expected) || repository.endsWith("/" + expected))) {
                    problems.add("Deployment " + service + " runs " + image + ", not [registry/]" + expected
                            + " (quarkus.container-image.group and name)");
                }
                if (!tag.equals(version)) {
                    problems.add("Deployment " + service + " runs tag '" + tag + "', not " + version
                            + " (the tag Jib gives the image: the project version)");
                }
            }
            if (!config.get("quarkus.container-image.build").orElse("").equals("false")) {
                problems.add(service + " must not build its image by default (quarkus.container-image.build=false)");
            }
            String base = config.get("quarkus.jib.base-jvm-image").orElse("");
            if (!base.matches(".*(openjdk-17-runtime|temurin:17-jre|java17).*")) {
                problems.add(service + "'s base image '" + base + "' is not a JRE 17 (quarkus.jib.base-jvm-image)");
            }
            String user = config.get("quarkus.jib.user").orElse("");
            Long runAs = Optional.ofNullable(d.getSpec().getTemplate().getSpec().getSecurityContext())
                    .map(PodSecurityContext::getRunAsUser)
                    .orElse(null);
            if (!user.matches("[1-9][0-9]*")) {
                problems.add(
                        service + "'s image user '" + user + "' is not a numeric non-root user (quarkus.jib.user)");
            } else if (runAs != null && runAs != Long.parseLong(user)) {
                problems.add("Deployment " + service + " runs as user " + runAs + ", the image as " + user);
            }
        }
        return problems;
    }

    /** Every Ingress reaches an existing Service port, over TLS, and routes nothing internal. */
    List<String> ingresses() {
        List<String> problems = new ArrayList<>();
        for (Ingress i : manifests.of(Ingress.class)) {
            String name = "Ingress " + i.getMetadata().getName();
            if (i.getSpec().getTls() == null || i.getSpec().getTls().isEmpty()) {
                problems.add(name + " has no TLS: tokens would cross the network in the clear");
            }
            i.getSpec()
                    .getRules()
                    .forEach(rule -> rule.getHttp().getPaths().forEach(path -> {
                        if (path.getPath().contains("Internal")) {
                            problems.add(name + " routes " + path.getPath() + ", an internal service");
                        }
                        IngressServiceBackend backend = path.getBackend().getService();
                        Optional<Service> service = manifests.of(Service.class).stream()
                                .filter(s -> s.getMetadata().getName().equals(backend.getName()))
                                .findFirst();
                        boolean port = service.isPresent()
                                && service.get().getSpec().getPorts().stream()
                                        .anyMatch(p -> Objects.equals(
                                                        p.getName(),
                                                        backend.getPort().getName())
                                                || Objects.equals(
                                                        p.getPort(),
                                                        backend.getPort().getNumber()));
                        if (!port) {
                            problems.add(name + " sends " + path.getPath() + " to " + backend.getName() + " port "
                                    + Optional.ofNullable(backend.getPort().getName())
                                            .orElse(String.valueOf(
                                                    backend.getPort().getNumber()))
                                    + ", which does not exist");
                        }
                    }));
        }
        return problems;
    }

    /** Every ConfigMap a pod reads is deployed (a missing one keeps the pod from starting). */
    List<String> configMaps() {
        List<String> problems = new ArrayList<>();
        Set<String> deployed = new TreeSet<>();
        manifests.of(ConfigMap.class).forEach(c -> deployed.add(c.getMetadata().getName()));
        for (Deployment d : manifests.of(Deployment.class)) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                for (EnvFromSource from : Objects.requireNonNullElse(c.getEnvFrom(), List.<EnvFromSource>of())) {
                    if (from.getConfigMapRef() != null
                            && !deployed.contains(from.getConfigMapRef().getName())) {
                        problems.add("Deployment " + d.getMetadata().getName() + " reads ConfigMap "
                                + from.getConfigMapRef().getName() + ", which is not deployed");
                    }
                }
            }
        }
        return problems;
    }

    /** Every Secret the manifests name: env, envFrom, volumes, Ingress TLS. */
    Set<String> referencedSecrets() {
        Set<String> names = new TreeSet<>();
        for (Deployment d : manifests.of(Deployment.class)) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            for (Container c : pod.getContainers()) {
                for (EnvVar e : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
                    if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                        names.add(e.getValueFrom().getSecretKeyRef().getName());
                    }
                }
                for (EnvFromSource from : Objects.requireNonNullElse(c.getEnvFrom(), List.<EnvFromSource>of())) {
                    if (from.getSecretRef() != null) {
                        names.add(from.getSecretRef().getName());
                    }
                }
            }
            for (Volume v : Objects.requireNonNullElse(pod.getVolumes(), List.<Volume>of())) {
                if (v.getSecret() != null) {
                    names.add(v.getSecret().getSecretName());
                }
            }
        }
        manifests.of(Ingress.class).forEach(i -> i.getSpec().getTls().forEach(t -> names.add(t.getSecretName())));
        return names;
    }

    /** No Secret object in the rendering: every one is created by the operator (deploy/README.md). */
    List<String> noSecretObjects() {
        return manifests.of(io.fabric8.kubernetes.api.model.Secret.class).stream()
                .map(s -> "Secret " + s.getMetadata().getName()
                        + " is part of the manifests: secrets are created by the operator, never committed")
                .toList();
    }

    /** Every Secret the manifests reference is documented for the operator who must create it. */
    List<String> secretsDocumented(String operatorGuide) {
        return referencedSecrets().stream()
                .filter(name -> !operatorGuide.contains("`" + name + "`"))
                .map(name -> "Secret " + name + " is referenced but deploy/README.md does not say how to create it")
                .toList();
    }

    /** Any YAML file under a folder holding a Secret with a value (data or stringData). */
    static List<String> committedSecretValues(Path root) {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .filter(f -> !f.toString().contains("/target/"))
                    .toList()) {
                for (JsonNode doc : Manifests.documents(Rendering.read(f))) {
                    boolean secret = doc.path("kind").asText().equals("Secret");
                    boolean valued = doc.path("data").size() > 0
                            || doc.path("stringData").size() > 0;
                    if (secret && valued) {
                        problems.add(root.relativize(f) + ": Secret "
                                + doc.path("metadata").path("name").asText() + " has a committed value");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return problems;
    }

    private Optional<HorizontalPodAutoscaler> hpaFor(String deployment) {
        return manifests.of(HorizontalPodAutoscaler.class).stream()
                .filter(h -> h.getSpec().getScaleTargetRef().getKind().equals("Deployment")
                        && h.getSpec().getScaleTargetRef().getName().equals(deployment))
                .findFirst();
    }

    /** A variable as the container sees it: its env, else the ConfigMaps it reads. */
    private Optional<String> environment(Deployment d, Container c, String variable) {
        for (EnvVar e : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
            if (e.getName().equals(variable) && e.getValue() != null) {
                return Optional.of(e.getValue());
            }
        }
        for (EnvFromSource from : Objects.requireNonNullElse(c.getEnvFrom(), List.<EnvFromSource>of())) {
            if (from.getConfigMapRef() == null) {
                continue;
            }
            Optional<String> value = manifests.of(ConfigMap.class).stream()
                    .filter(m -> m.getMetadata()
                            .getName()
                            .equals(from.getConfigMapRef().getName()))
                    .map(m -> m.getData().get(variable))
                    .filter(Objects::nonNull)
                    .findFirst();
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    private static void probe(List<String> problems, String where, String kind, Probe probe, String path, Container c) {
        if (probe == null || probe.getHttpGet() == null) {
            problems.add(where + " has no " + kind + " probe (HTTP GET " + path + ")");
            return;
        }
        if (!path.equals(probe.getHttpGet().getPath())) {
            problems.add(
                    where + "'s " + kind + " probe asks " + probe.getHttpGet().getPath() + ", not " + path);
        }
        if (containerPort(List.of(c), probe.getHttpGet().getPort()).isEmpty()) {
            problems.add(where + "'s " + kind + " probe asks port "
                    + show(probe.getHttpGet().getPort()) + ", which the container does not expose");
        }
    }

    private static void resources(List<String> problems, String where, Container c) {
        var r = c.getResources();
        for (String resource : List.of("cpu", "memory")) {
            if (r == null || r.getRequests() == null || !r.getRequests().containsKey(resource)) {
                problems.add(where + " requests no " + resource);
            }
            if (r == null || r.getLimits() == null || !r.getLimits().containsKey(resource)) {
                problems.add(where + " has no " + resource + " limit");
            }
        }
    }

    private static void security(List<String> problems, String where, PodSecurityContext pod, SecurityContext c) {
        // The container's setting wins over the pod's.
        Boolean own = c == null ? null : c.getRunAsNonRoot();
        boolean nonRoot = own != null ? own : pod != null && Boolean.TRUE.equals(pod.getRunAsNonRoot());
        if (!nonRoot) {
            problems.add(where + " may run as root (runAsNonRoot is not true)");
        }
        if (c == null || !Boolean.TRUE.equals(c.getReadOnlyRootFilesystem())) {
            problems.add(where + " has a writable root filesystem (readOnlyRootFilesystem is not true)");
        }
        if (c == null || !Boolean.FALSE.equals(c.getAllowPrivilegeEscalation())) {
            problems.add(where + " allows privilege escalation (allowPrivilegeEscalation is not false)");
        }
        if (c == null
                || c.getCapabilities() == null
                || c.getCapabilities().getDrop() == null
                || !c.getCapabilities().getDrop().contains("ALL")
                || (c.getCapabilities().getAdd() != null
                        && !c.getCapabilities().getAdd().isEmpty())) {
            problems.add(where + " keeps capabilities (drop ALL, add none)");
        }
        String seccomp = c != null && c.getSeccompProfile() != null
                ? c.getSeccompProfile().getType()
                : pod != null && pod.getSeccompProfile() != null
                        ? pod.getSeccompProfile().getType()
                        : null;
        if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
            problems.add(where + " has no seccomp profile (RuntimeDefault)");
        }
    }

    private static boolean writableTmp(PodSpec pod, Container c) {
        return Objects.requireNonNullElse(c.getVolumeMounts(), List.<io.fabric8.kubernetes.api.model.VolumeMount>of())
                .stream()
                .filter(m -> m.getMountPath().equals("/tmp"))
                .anyMatch(m -> Objects.requireNonNullElse(pod.getVolumes(), List.<Volume>of()).stream()
                        .anyMatch(v -> v.getName().equals(m.getName()) && v.getEmptyDir() != null));
    }

    private static Optional<ContainerPort> containerPort(List<Container> containers, IntOrString port) {
        if (port == null) {
            return Optional.empty();
        }
        return containers.stream()
                .flatMap(c -> Objects.requireNonNullElse(c.getPorts(), List.<ContainerPort>of()).stream())
                .filter(p -> port.getStrVal() != null
                        ? port.getStrVal().equals(p.getName())
                        : Objects.equals(port.getIntVal(), p.getContainerPort()))
                .findFirst();
    }

    private static String show(IntOrString port) {
        return port == null
                ? "nothing"
                : port.getStrVal() != null ? port.getStrVal() : String.valueOf(port.getIntVal());
    }

    private static boolean selectsAll(io.fabric8.kubernetes.api.model.LabelSelector s) {
        return s != null
                && (s.getMatchLabels() == null || s.getMatchLabels().isEmpty())
                && (s.getMatchExpressions() == null || s.getMatchExpressions().isEmpty());
    }

    private static boolean isDefaultDeny(NetworkPolicy p) {
        var s = p.getSpec();
        return selectsAll(s.getPodSelector())
                && s.getPolicyTypes() != null
                && s.getPolicyTypes().containsAll(List.of("Ingress", "Egress"))
                && (s.getIngress() == null || s.getIngress().isEmpty())
                && (s.getEgress() == null || s.getEgress().isEmpty());
    }
}
