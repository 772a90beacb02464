package dev.autolab.gateway.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;

import dev.autolab.gateway.upstream.Upstream;
import dev.autolab.gateway.upstream.Upstreams;

/**
 * Every REST route, built once at start from the descriptor set: one per {@code google.api.http}
 * annotation. A method without one is not reachable over REST.
 */
@Singleton
public class RouteTable {
    private static final Logger LOG = Logger.getLogger(RouteTable.class);

    /** What a request resolves to: a route and its path variables, or the methods the path allows. */
    public record Lookup(Route route, Map<String, String> variables, Set<String> allowedMethods) {}

    private final List<Route> routes;

    @Inject
    public RouteTable(Upstreams upstreams) {
        this(DescriptorLoader.load(), upstreams);
    }

    public RouteTable(List<FileDescriptor> files, Upstreams upstreams) {
        List<Route> built = new ArrayList<>();
        for (FileDescriptor file : files) {
            for (ServiceDescriptor service : file.getServices()) {
                Upstream upstream = upstreams.forService(service.getFullName());
                for (MethodDescriptor method : service.getMethods()) {
                    if (!method.getOptions().hasExtension(AnnotationsProto.http) || upstream == null) {
                        continue;
                    }
                    built.add(toRoute(method, method.getOptions().getExtension(AnnotationsProto.http), upstream));
                }
            }
        }
        // More literal segments first, so /v1/device/code wins over a variable in the same place.
        built.sort(Comparator.comparingInt((Route r) -> -r.path().literalPrefixLength()));
        this.routes = List.copyOf(built);
        LOG.infof("%d REST routes from %s", routes.size(), DescriptorLoader.RESOURCE);
    }

    private static Route toRoute(MethodDescriptor method, HttpRule rule, Upstream upstream) {
        if (method.isClientStreaming() || method.isServerStreaming()) {
            // One JSON request and one JSON answer cannot carry a stream: fail at start, not on first use.
            throw new IllegalStateException(method.getFullName() + " is a streaming method but has a google.api.http"
                    + " rule; REST transcoding is unary only: remove the rule (streams are reached over native gRPC)");
        }
        String verb;
        String path;
        switch (rule.getPatternCase()) {
            case GET -> {
                verb = "GET";
                path = rule.getGet();
            }
            case POST -> {
                verb = "POST";
                path = rule.getPost();
            }
            case PUT -> {
                verb = "PUT";
                path = rule.getPut();
            }
            case DELETE -> {
                verb = "DELETE";
                path = rule.getDelete();
            }
            case PATCH -> {
                verb = "PATCH";
                path = rule.getPatch();
            }
            default -> throw new IllegalStateException("unsupported http rule on " + method.getFullName());
        }
        PathTemplate template = PathTemplate.parse(path);
        String body = rule.getBody();
        if (!body.isEmpty() && !body.equals("*") && method.getInputType().findFieldByName(body) == null) {
            throw new IllegalStateException(method.getFullName() + ": body field " + body + " does not exist");
        }
        return new Route(verb, template, method, body, upstream);
    }

    public List<Route> routes() {
        return routes;
    }

    /** Resolves a request; a null route with allowed methods means 405, with none 404. */
    public Lookup find(String httpMethod, String path) {
        if (!path.startsWith("/")) {
            return new Lookup(null, Map.of(), Set.of());
        }
        String[] parts = PathTemplate.split(path);
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Map<String, String> vars = route.path().match(parts);
            if (vars == null) {
                continue;
            }
            if (route.httpMethod().equals(httpMethod)) {
                return new Lookup(route, vars, Set.of());
            }
            allowed.add(route.httpMethod());
        }
        return new Lookup(null, Map.of(), allowed);
    }
}
