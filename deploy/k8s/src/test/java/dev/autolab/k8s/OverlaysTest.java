package dev.autolab.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Both overlays render, parse, and satisfy every rule (Rules); nothing secret is committed. */
class OverlaysTest {
    static final String VERSION = System.getProperty("autolab.version", "0.1.0-SNAPSHOT");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theCommittedRenderingIsWhatKustomizeRenders(String overlay) {
        Optional<String> fresh = Rendering.fresh(overlay);
        if (fresh.isEmpty()) {
            System.err.println(
                    "kubectl is not used (not on the PATH, or -Dautolab.kubectl=none): checking the committed rendering of overlays/"
                            + overlay + " (rendered/" + overlay + ".yaml) without re-rendering it");
            return;
        }
        assertEquals(
                fresh.get(),
                Rendering.committed(overlay),
                "rendered/" + overlay + ".yaml is stale: run deploy/k8s/render.sh and commit the result");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyObjectParsesWithTheKubernetesModel(String overlay) {
        Manifests m = Manifests.parse(Rendering.committed(overlay));
        Set<String> kinds = new TreeSet<>();
        m.all().forEach(o -> kinds.add(o.getKind()));
        assertTrue(
                kinds.containsAll(List.of(
                        "Namespace",
                        "ConfigMap",
                        "Deployment",
                        "Service",
                        "NetworkPolicy",
                        "Ingress",
                        "ServiceAccount")),
                overlay + " renders " + kinds);
        Set<String> deployments = new TreeSet<>();
        m.of(io.fabric8.kubernetes.api.model.apps.Deployment.class)
                .forEach(d -> deployments.add(d.getMetadata().getName()));
        assertEquals(new TreeSet<>(Rules.SERVICES), deployments);
        for (HasMetadata o : m.all()) {
            if (!o.getKind().equals("Namespace")) {
                assertEquals(
                        overlay.equals("prod") ? "autolab" : "autolab-dev",
                        o.getMetadata().getNamespace(),
                        o.getKind() + "/" + o.getMetadata().getName());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyRuleHolds(String overlay) {
        Rules rules = new Rules(Manifests.parse(Rendering.committed(overlay)), VERSION);
        List<String> problems = new ArrayList<>();
        problems.addAll(rules.deployments());
        problems.addAll(rules.servicePorts());
        problems.addAll(rules.networkPolicies());
        problems.addAll(rules.scaling(overlay.equals("prod")));
        problems.addAll(rules.images());
        problems.addAll(rules.ingresses());
        problems.addAll(rules.configMaps());
        problems.addAll(rules.noSecretObjects());
        problems.addAll(rules.secretsDocumented(Rendering.read(Rendering.REPO.resolve("deploy/README.md"))));
        assertEquals(List.of(), problems, overlay);
    }

    @Test
    void productionAutoscalesAndDevelopmentDoesNot() {
        assertEquals(
                2,
                Manifests.parse(Rendering.committed("prod"))
                        .of(io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class)
                        .size());
        assertEquals(
                0,
                Manifests.parse(Rendering.committed("dev"))
                        .of(io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class)
                        .size());
    }

    @Test
    void noSecretValueIsCommittedAnywhereUnderDeploy() {
        assertEquals(List.of(), Rules.committedSecretValues(Rendering.REPO.resolve("deploy")));
    }
}
