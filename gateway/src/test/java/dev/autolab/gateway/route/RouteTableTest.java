package dev.autolab.gateway.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.EmptyProto;

import dev.autolab.gateway.fake.TestGatewayConfig;
import dev.autolab.gateway.upstream.Upstreams;

class RouteTableTest {
    private final RouteTable table = new RouteTable(DescriptorLoader.load(), new Upstreams(new TestGatewayConfig()));

    private String method(String verb, String path) {
        RouteTable.Lookup found = table.find(verb, path);
        return found.route() == null ? null : found.route().fullMethodName();
    }

    @Test
    void everyRouteOfTheContractIsThere() {
        List<String[]> contract = List.of(
                new String[] {"POST", "/v1/device/code", "autolab.auth.v1.DeviceService/RequestDeviceCode"},
                new String[] {"POST", "/v1/device/token", "autolab.auth.v1.DeviceService/PollDeviceToken"},
                new String[] {"POST", "/v1/sessions", "autolab.auth.v1.SessionService/CreateSession"},
                new String[] {"POST", "/v1/device/approve", "autolab.auth.v1.DeviceService/ApproveDevice"},
                new String[] {"POST", "/v1/device/deny", "autolab.auth.v1.DeviceService/DenyDevice"},
                new String[] {"GET", "/v1/whoami", "autolab.auth.v1.UserService/WhoAmI"},
                new String[] {"POST", "/v1/tokens", "autolab.auth.v1.TokenService/CreateToken"},
                new String[] {"GET", "/v1/tokens", "autolab.auth.v1.TokenService/ListTokens"},
                new String[] {"DELETE", "/v1/tokens/gpu-box", "autolab.auth.v1.TokenService/RevokeToken"},
                new String[] {"POST", "/v1/users", "autolab.auth.v1.UserService/CreateUser"},
                new String[] {"POST", "/v1/projects", "autolab.auth.v1.ProjectService/CreateProject"},
                new String[] {"GET", "/v1/projects", "autolab.auth.v1.ProjectService/ListProjects"},
                new String[] {"GET", "/v1/projects/alice/nanochat", "autolab.auth.v1.ProjectService/GetProject"},
                new String[] {
                    "PUT", "/v1/projects/alice/nanochat/members/bob", "autolab.auth.v1.ProjectService/SetMember"
                },
                new String[] {
                    "DELETE", "/v1/projects/alice/nanochat/members/bob", "autolab.auth.v1.ProjectService/RemoveMember"
                },
                new String[] {"GET", "/v1/projects/alice/nanochat/members", "autolab.auth.v1.ProjectService/ListMembers"
                },
                new String[] {"GET", "/v1/keys", "autolab.keys.v1.KeyService/ListKeys"},
                new String[] {"POST", "/v1/keys", "autolab.keys.v1.KeyService/AddKey"},
                new String[] {"DELETE", "/v1/keys/abcd", "autolab.keys.v1.KeyService/RemoveKey"},
                new String[] {"PATCH", "/v1/keys/abcd", "autolab.keys.v1.KeyService/UpdateKey"},
                new String[] {
                    "PUT", "/v1/projects/alice/nanochat/llm", "autolab.keys.v1.ProjectLlmService/SetProjectLlm"
                },
                new String[] {
                    "GET", "/v1/projects/alice/nanochat/llm", "autolab.keys.v1.ProjectLlmService/GetProjectLlm"
                },
                new String[] {"GET", "/v1/providers", "autolab.keys.v1.ProviderService/ListProviders"},
                new String[] {"GET", "/v1/projects/alice/nanochat/nodes", "autolab.nodes.v1.NodeService/ListNodes"},
                new String[] {
                    "DELETE", "/v1/projects/alice/nanochat/nodes/n1", "autolab.nodes.v1.NodeService/RemoveNode"
                });
        for (String[] c : contract) {
            assertEquals(c[2], method(c[0], c[1]), c[0] + " " + c[1]);
        }
    }

    @Test
    void internalMethodsHaveNoRoute() {
        assertTrue(table.routes().stream()
                .noneMatch(r -> r.fullMethodName().contains("InternalAuthService")
                        || r.fullMethodName().contains("KeyResolutionService")
                        || r.fullMethodName().contains("NodeAgentService")));
    }

    @Test
    void routesKnowTheirOwner() {
        assertEquals(
                "keys-service", table.find("GET", "/v1/keys").route().upstream().name());
        assertEquals(
                "node-registry",
                table.find("GET", "/v1/projects/a/b/nodes").route().upstream().name());
        assertEquals(
                "auth-service",
                table.find("GET", "/v1/whoami").route().upstream().name());
    }

    @Test
    void aKnownPathWithAnotherMethodListsTheAllowedOnes() {
        RouteTable.Lookup found = table.find("PUT", "/v1/tokens");
        assertNull(found.route());
        assertEquals(Set.of("GET", "POST"), found.allowedMethods());
        assertTrue(table.find("GET", "/v1/nothing").allowedMethods().isEmpty());
    }

    @Test
    void aStreamingMethodWithAnHttpRuleStopsTheStart() throws Exception {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> new RouteTable(List.of(fileWith(true)), new Upstreams(new TestGatewayConfig())));
        assertEquals(
                "autolab.auth.test.Streams.Watch is a streaming method but has a google.api.http rule; REST"
                        + " transcoding is unary only: remove the rule (streams are reached over native gRPC)",
                e.getMessage());
        // The same method unary is an ordinary route.
        RouteTable unary = new RouteTable(List.of(fileWith(false)), new Upstreams(new TestGatewayConfig()));
        assertEquals(
                "autolab.auth.test.Streams/Watch",
                unary.find("GET", "/v1/watch").route().fullMethodName());
    }

    /** A file with one service whose method {@code Watch} has {@code get: "/v1/watch"}, streaming or not. */
    private static FileDescriptor fileWith(boolean serverStreaming) throws Exception {
        FileDescriptorProto proto = FileDescriptorProto.newBuilder()
                .setName("autolab/auth/test/streams.proto")
                .setPackage("autolab.auth.test")
                .setSyntax("proto3")
                .addDependency("google/api/annotations.proto")
                .addDependency("google/protobuf/empty.proto")
                .addService(ServiceDescriptorProto.newBuilder()
                        .setName("Streams")
                        .addMethod(MethodDescriptorProto.newBuilder()
                                .setName("Watch")
                                .setInputType(".google.protobuf.Empty")
                                .setOutputType(".google.protobuf.Empty")
                                .setServerStreaming(serverStreaming)
                                .setOptions(MethodOptions.newBuilder()
                                        .setExtension(
                                                AnnotationsProto.http,
                                                HttpRule.newBuilder()
                                                        .setGet("/v1/watch")
                                                        .build()))))
                .build();
        return FileDescriptor.buildFrom(
                proto, new FileDescriptor[] {AnnotationsProto.getDescriptor(), EmptyProto.getDescriptor()});
    }
}
