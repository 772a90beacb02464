package dev.autolab.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.ExtensionRegistry;

/**
 * 10,000 seeded random REST requests against the running suite: methods and paths from the route
 * table (read from the same descriptor set as the gateway) and garbage ones, bodies built from the
 * request message's fields with hostile values (NUL and other control characters, unicode, huge
 * numbers, deep nesting) or plain garbage, under random content types. No answer may be a 5xx,
 * except the 503 of a service that is not running (every service runs in this suite, so none is expected).
 */
class RestFuzzTest {
    private static final long SEED = 20261129L;
    private static final int REQUESTS = 10_000;
    private static final int CONNECTIONS = 6;
    private static final Pattern VARIABLE = Pattern.compile("\\{([a-z_]+)(=[^}]*)?}");
    private static final List<String> CONTENT_TYPES = List.of(
            "application/json",
            "application/json; charset=utf-8",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=zz",
            "multipart/form-data",
            "application/octet-stream",
            "application/grpc-web+proto",
            "a/b/c;;=;",
            "application/json; charset=klingon",
            "");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD");
    private static final List<String> ODD_PATHS = List.of(
            "/",
            "/signin",
            "/signup",
            "/device",
            "/v1",
            "/v1/",
            "/v1/../v1/whoami",
            "/.well-known/oauth-authorization-server",
            "/q/health",
            "/v1/tokens/",
            "/v1//tokens",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/v1/projects/a/b/c/d/e/f",
            "/v1/device/requests/");
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** A REST route: verb, path template, the request message's fields, and which service owns it. */
    record Route(String verb, String template, List<FieldDescriptorProto> fields, String pkg) {}

    record Outcome(int status, String body, String request) {}

    @Test
    void tenThousandRandomRequestsGetNo5xxButTheMissingServices503() throws Exception {
        String base = Suite.url();
        List<Route> routes = routes();
        assertTrue(routes.size() > 20, "routes: " + routes.size());
        String pat = warmedUpPat();
        Random seeds = new Random(SEED);
        Map<String, AtomicInteger> tally = new TreeMap<>();
        Map<String, String> failures = new ConcurrentHashMap<>();
        AtomicInteger missingServices = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        long start = System.nanoTime();
        try {
            List<Future<Outcome>> all = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                long seed = seeds.nextLong();
                all.add(pool.submit(() -> send(base, routes, new Random(seed), pat)));
            }
            for (Future<Outcome> f : all) {
                Outcome o = f.get();
                String key = o.status() >= 500 ? String.valueOf(o.status()) : (o.status() / 100) + "xx";
                synchronized (tally) {
                    tally.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                }
                if (o.status() == 503
                        && (o.body().contains("keys-service") || o.body().contains("node-registry"))) {
                    missingServices.incrementAndGet();
                } else if (o.status() >= 500) {
                    failures.putIfAbsent(o.status() + " " + o.body(), o.request());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf(
                "REST fuzz (seed %d): %d requests in %.1f s: %s; of the 503s, %d from services not"
                        + " running; other 5xx: %d distinct%n",
                SEED, REQUESTS, seconds, tally, missingServices.get(), failures.size());
        failures.forEach((answer, request) -> System.err.println("  " + answer + "  <-  " + request));
        assertEquals(Map.of(), failures, "5xx answers besides the missing services' 503");
    }

    /** A PAT to fuzz with; the first calls to a cold suite on a busy machine may miss their deadline. */
    private static String warmedUpPat() throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return Rest.pat(Rest.signUp("fuzz"), "fuzz");
            } catch (AssertionError e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static Outcome send(String base, List<Route> routes, Random r, String pat) {
        String method;
        String path;
        Route route = null;
        if (r.nextInt(10) < 8) {
            route = routes.get(r.nextInt(routes.size()));
            method = r.nextInt(10) < 9 ? route.verb() : pick(r, METHODS);
            path = fill(route.template(), r);
        } else {
            method = pick(r, METHODS);
            path = r.nextBoolean()
                    ? pick(r, ODD_PATHS)
                    : "/v1/" + segment(r) + (r.nextBoolean() ? "/" + segment(r) : "");
        }
        if (r.nextInt(4) == 0) {
            path += "?" + query(r, route);
        }
        String type = pick(r, CONTENT_TYPES);
        byte[] body = method.equals("GET") || method.equals("HEAD")
                ? (r.nextInt(8) == 0 ? body(r, route) : null)
                : (r.nextInt(8) == 0 ? null : body(r, route));
        String described = method + " " + path + " [" + type + "] "
                + (body == null ? "" : printable(new String(body, StandardCharsets.UTF_8), 160));
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30))
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
            if (!type.isEmpty()) {
                request.header("content-type", type);
            }
            switch (r.nextInt(4)) {
                case 0 -> request.header("authorization", "Bearer " + pat);
                case 1 ->
                    request.header(
                            "authorization",
                            pick(
                                    r,
                                    List.of(
                                            "Bearer ",
                                            "Bearer al_x",
                                            "Basic Zm9v",
                                            "Bearer " + pat.substring(0, pat.length() - 1) + "0",
                                            "Bearer als_" + "A".repeat(36))));
                case 2 -> request.header("cookie", "autolab_session=als_" + segment(r));
                default -> {}
            }
            if (r.nextInt(5) == 0) {
                request.header("origin", pick(r, List.of("https://evil.example", "null", base)));
            }
            HttpResponse<String> reply = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Outcome(reply.statusCode(), reply.body(), described);
        } catch (IllegalArgumentException e) {
            return new Outcome(0, "not sent: " + e.getMessage(), described);
        } catch (Exception e) {
            return new Outcome(599, "no answer: " + e, described);
        }
    }

    /** Every annotated method of the descriptor set the gateway builds its routes from. */
    private static List<Route> routes() throws Exception {
        ExtensionRegistry registry = ExtensionRegistry.newInstance();
        AnnotationsProto.registerAllExtensions(registry);
        FileDescriptorSet set;
        try (InputStream in = RestFuzzTest.class.getClassLoader().getResourceAsStream("META-INF/grpc/autolab.dsc")) {
            set = FileDescriptorSet.parseFrom(in, registry);
        }
        Map<String, DescriptorProto> messages = new ConcurrentHashMap<>();
        for (FileDescriptorProto file : set.getFileList()) {
            for (DescriptorProto m : file.getMessageTypeList()) {
                messages.put("." + file.getPackage() + "." + m.getName(), m);
            }
        }
        List<Route> routes = new ArrayList<>();
        for (FileDescriptorProto file : set.getFileList()) {
            for (ServiceDescriptorProto service : file.getServiceList()) {
                for (MethodDescriptorProto method : service.getMethodList()) {
                    if (!method.getOptions().hasExtension(AnnotationsProto.http)) {
                        continue;
                    }
                    HttpRule rule = method.getOptions().getExtension(AnnotationsProto.http);
                    String verb = switch (rule.getPatternCase()) {
                        case GET -> "GET";
                        case POST -> "POST";
                        case PUT -> "PUT";
                        case DELETE -> "DELETE";
                        case PATCH -> "PATCH";
                        default -> null;
                    };
                    if (verb == null) {
                        continue;
                    }
                    String template = switch (verb) {
                        case "GET" -> rule.getGet();
                        case "POST" -> rule.getPost();
                        case "PUT" -> rule.getPut();
                        case "DELETE" -> rule.getDelete();
                        default -> rule.getPatch();
                    };
                    DescriptorProto input = messages.get(method.getInputType());
                    routes.add(new Route(
                            verb, template, input == null ? List.of() : input.getFieldList(), file.getPackage()));
                }
            }
        }
        return routes;
    }

    private static String fill(String template, Random r) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            boolean multi = m.group(2) != null && m.group(2).contains("/");
            String value = r.nextInt(3) == 0 ? "fuzz-" + r.nextInt(100) : segment(r) + (multi ? "/" + segment(r) : "");
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A path segment: plain, percent-encoded hostile bytes, unicode, or empty. */
    private static String segment(Random r) {
        return switch (r.nextInt(7)) {
            case 0 -> "";
            case 1 -> "%00" + word(r);
            case 2 -> word(r) + "%0a%0d%09" + word(r);
            case 3 -> encode(randomText(r, 1 + r.nextInt(12)));
            case 4 -> "%ff%fe" + word(r);
            case 5 -> word(r) + "%2F..%2F" + word(r);
            default -> word(r);
        };
    }

    private static String query(Random r, Route route) {
        StringBuilder q = new StringBuilder();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            String name = route != null && !route.fields().isEmpty() && r.nextBoolean()
                    ? route.fields().get(r.nextInt(route.fields().size())).getJsonName()
                    : word(r);
            q.append(i == 0 ? "" : "&").append(name).append('=').append(encode(scalarText(r)));
        }
        return q.toString();
    }

    private static byte[] body(Random r, Route route) {
        return switch (r.nextInt(10)) {
            case 0 -> randomBytes(r);
            case 1 ->
                ("%" + word(r) + "&" + word(r) + "=%E0%A4%A&=&&" + encode(randomText(r, 5)))
                        .getBytes(StandardCharsets.UTF_8);
            case 2 -> deep(r).getBytes(StandardCharsets.UTF_8);
            case 3 ->
                "--zz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--zz".getBytes(StandardCharsets.UTF_8);
            case 4 -> ("{\"" + word(r) + "\":" + json(r, 0) + "}").getBytes(StandardCharsets.UTF_8);
            default -> messageJson(r, route).getBytes(StandardCharsets.UTF_8);
        };
    }

    /** A JSON object whose keys are the request message's fields, with hostile values of any type. */
    private static String messageJson(Random r, Route route) {
        StringBuilder out = new StringBuilder("{");
        List<FieldDescriptorProto> fields = route == null ? List.of() : route.fields();
        int n = fields.isEmpty() ? r.nextInt(3) : 1 + r.nextInt(fields.size() + 1);
        for (int i = 0; i < n; i++) {
            String name = fields.isEmpty() || r.nextInt(8) == 0
                    ? word(r)
                    : r.nextBoolean()
                            ? fields.get(r.nextInt(fields.size())).getJsonName()
                            : fields.get(r.nextInt(fields.size())).getName();
            out.append(i == 0 ? "" : ",").append(quote(name)).append(':').append(json(r, 0));
        }
        return out.append('}').toString();
    }

    private static String json(Random r, int depth) {
        return switch (r.nextInt(depth > 3 ? 8 : 10)) {
            case 0 -> quote(randomText(r, r.nextInt(40)));
            case 1 ->
                pick(
                        r,
                        List.of(
                                "1e999",
                                "-1e999",
                                "99999999999999999999999999999",
                                "-9223372036854775809",
                                "18446744073709551616",
                                "0.5",
                                "-1",
                                "NaN",
                                "\"NaN\"",
                                "\"Infinity\"",
                                "1E400",
                                "-0",
                                "0x10"));
            case 2 -> pick(r, List.of("true", "false", "null", "\"true\"", "\"\"", "[]", "{}"));
            case 3 -> quote("\u0000" + randomText(r, 5));
            case 4 ->
                pick(
                        r,
                        List.of(
                                "\"ROLE_OWNER\"",
                                "\"ROLE_\"",
                                "7",
                                "\"TOKEN_KIND_NODE\"",
                                "\"2026-13-45T99:00:00Z\"",
                                "\"1970-01-01T00:00:00Z\"",
                                "\"9999-12-31T23:59:59Z\"",
                                "\"-PT5S\"",
                                "\"x".repeat(1)));
            case 5 -> quote(word(r) + "/" + word(r));
            case 6 -> quote("x".repeat(r.nextInt(5000)));
            case 7 -> quote(word(r));
            case 8 -> "[" + json(r, depth + 1) + "," + json(r, depth + 1) + "]";
            default -> "{" + quote(word(r)) + ":" + json(r, depth + 1) + "}";
        };
    }

    private static String deep(Random r) {
        int depth = 100 + r.nextInt(5000);
        boolean arrays = r.nextBoolean();
        return (arrays ? "[" : "{\"a\":").repeat(depth) + "1" + (arrays ? "]" : "}").repeat(depth);
    }

    private static String scalarText(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> "99999999999999999999";
            case 1 -> "\u0000";
            case 2 -> randomText(r, 6);
            case 3 -> "true";
            default -> word(r);
        };
    }

    private static String word(Random r) {
        int n = 1 + r.nextInt(10);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append((char) ('a' + r.nextInt(26)));
        }
        return out.toString();
    }

    /** Text from hostile ranges: C0 controls, NUL, DEL, C1, bidi overrides, surrogates of emoji, CJK. */
    private static String randomText(Random r, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            switch (r.nextInt(6)) {
                case 0 -> out.append((char) r.nextInt(0x20));
                case 1 -> out.append((char) (0x7f + r.nextInt(0x21)));
                case 2 ->
                    out.append(pick(
                            r,
                            List.of(
                                    "\u202e",
                                    "\u200b",
                                    "\ufeff",
                                    "\ud83d\ude00",
                                    "\u0301",
                                    "\\",
                                    "\"",
                                    "'",
                                    "<",
                                    "%",
                                    "/")));
                case 3 -> out.append((char) (0x4e00 + r.nextInt(0x5000)));
                default -> out.append((char) (0x20 + r.nextInt(0x5f)));
            }
        }
        return out.toString();
    }

    private static byte[] randomBytes(Random r) {
        byte[] out = new byte[r.nextInt(300)];
        r.nextBytes(out);
        return out;
    }

    private static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 0x80 || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String printable(String text, int max) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (out.length() >= max) {
                return out.append('…').toString();
            }
            out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    private static <T> T pick(Random r, List<T> items) {
        return items.get(r.nextInt(items.size()));
    }
}
