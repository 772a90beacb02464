package dev.autolab.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.autolab.keys.support.Api;
import dev.autolab.keys.support.FakeAuthResource;
import dev.autolab.keys.support.LogCapture;
import dev.autolab.proto.keys.v1.AddKeyRequest;
import dev.autolab.proto.keys.v1.KeyChanges;
import dev.autolab.proto.keys.v1.ListKeysRequest;
import dev.autolab.proto.keys.v1.RemoveKeyRequest;
import dev.autolab.proto.keys.v1.UpdateKeyRequest;
import dev.autolab.testing.FakeAuthService;
import dev.autolab.testing.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Key values never appear in a log line, an error message, a metric or any response but ResolveProjectKey. */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = @ResourceArg(name = "database", value = "autolab_keys"))
@WithTestResource(value = FakeAuthResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LogLeakTest {
    FakeAuthService auth;

    @Test
    void noValueInLogsErrorsMetricsOrResponses() throws Exception {
        String first = "sk-leakcheck-" + UUID.randomUUID().toString().replace("-", "");
        String second = "sk-leakcheck-" + UUID.randomUUID().toString().replace("-", "");
        String refused = "sk-leakcheck-" + UUID.randomUUID().toString().replace("-", "");
        StringBuilder responses = new StringBuilder();
        String resolved;
        try (LogCapture logs = new LogCapture()) {
            var alice = auth.user("alice");
            String project = auth.project(alice, "leaks");
            var added = Api.keys(alice.token())
                    .addKey(AddKeyRequest.newBuilder()
                            .setProvider("openai")
                            .setName("leak")
                            .setValue(first)
                            .setLimitMicroUsd(1)
                            .build());
            responses.append(added);
            // Refusals whose requests carry a value.
            responses.append(Api.refusal(() -> Api.keys(alice.token())
                    .addKey(AddKeyRequest.newBuilder()
                            .setProvider("openai")
                            .setName("leak")
                            .setValue(refused)
                            .build())));
            responses.append(Api.refusal(() -> Api.keys(alice.token())
                    .addKey(AddKeyRequest.newBuilder()
                            .setProvider("nope")
                            .setValue(refused)
                            .build())));
            responses.append(Api.refusal(() -> Api.keys(alice.token())
                    .addKey(AddKeyRequest.newBuilder()
                            .setProvider("openai")
                            .setName("x")
                            .setValue(refused + " with a space")
                            .build())));
            responses.append(Api.refusal(() -> Api.keys(alice.token())
                    .updateKey(UpdateKeyRequest.newBuilder()
                            .setRef("missing")
                            .setChanges(KeyChanges.newBuilder().setValue(refused))
                            .build())));
            responses.append(Api.keys(alice.token())
                    .updateKey(UpdateKeyRequest.newBuilder()
                            .setRef("leak")
                            .setChanges(KeyChanges.newBuilder().setValue(second))
                            .build()));
            responses.append(BindingTest.use(alice.token(), project, "leak", ""));
            responses.append(BindingTest.get(alice.token(), project));
            String node = auth.node(alice, project);
            resolved = SpendTest.resolve(node, project).getValue();
            responses.append(SpendTest.report(node, project, added.getId(), 5, "u-" + UUID.randomUUID()));
            responses.append(Api.refusal(() -> SpendTest.resolve(node, project)));
            responses.append(Api.refusal(() -> SpendTest.resolve(alice.token(), project)));
            responses.append(Api.keys(alice.token()).listKeys(ListKeysRequest.getDefaultInstance()));
            Api.keys(alice.token())
                    .removeKey(RemoveKeyRequest.newBuilder()
                            .setRef("leak")
                            .setForce(true)
                            .build());
            responses.append(metrics());

            for (String value : new String[] {first, second, refused}) {
                String core = value.substring("sk-leakcheck-".length());
                assertFalse(logs.text().contains(core), "a value in the log:\n" + logs.text());
                assertFalse(responses.toString().contains(core), "a value in a response:\n" + responses);
            }
        }
        assertEquals(second, resolved, "ResolveProjectKey is the one place a value goes");
    }

    private static String metrics() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
