package dev.autolab.gateway.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.autolab.gateway.GatewayConfig;

class RouteTableTest {
    private final RouteTable table = new RouteTable(DescriptorLoader.load(), new Upstreams(new GatewayConfig() {
        public String authService() {
            return "auth:1";
        }

        public String keysService() {
            return "keys:2";
        }

        public String nodeRegistry() {
            return "nodes:3";
        }

        public Duration callTimeout() {
            return Duration.ofSeconds(1);
        }

        public int streamConnections() {
            return 1;
        }

        public int streamsPerConnection() {
            return 1;
        }

        public long maxBodyBytes() {
            return 1024;
        }

        public String publicUrl() {
            return "http://localhost:8080";
        }

        public java.util.Optional<Boolean> secureCookies() {
            return java.util.Optional.empty();
        }

        public java.util.Optional<List<String>> trustedProxies() {
            return java.util.Optional.empty();
        }
    }));

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
}
