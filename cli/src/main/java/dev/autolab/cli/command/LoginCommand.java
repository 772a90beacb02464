package dev.autolab.cli.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

import dev.autolab.cli.client.ApiClient;
import dev.autolab.cli.client.ApiException;
import dev.autolab.cli.config.HostEntry;
import dev.autolab.cli.config.Hosts;
import dev.autolab.cli.json.Json;
import dev.autolab.cli.serve.LocalMachine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "login",
        mixinStandardHelpOptions = true,
        description = "Sign in: in the browser (device flow), or with a token for headless machines.",
        footer = {
            "",
            "Examples:",
            "  autolab login                                # browser sign-in; stores a token for this host",
            "  autolab login --no-browser                   # print the URL and code instead of opening a browser",
            "  autolab login --token \"$AUTOLAB_TOKEN\"       # headless: CI runners, remote boxes",
            "  echo \"$TOK\" | autolab login --token -        # read the token from stdin",
            "  autolab login --host https://autolab.example.org"
        })
public class LoginCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The CLI's registration as an OAuth 2.0 public client (auth-service knows it built in). */
    static final String CLIENT_ID = "autolab-cli";

    static final String DEVICE_AUTHORIZATION = "/oauth/device_authorization";
    static final String TOKEN = "/oauth/token";
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final long SPIN_MILLIS = 100;

    private final Supplier<LocalMachine> local;

    public LoginCommand(Supplier<LocalMachine> local) {
        this.local = local;
    }

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "Store this token instead of signing in in a browser" + " ('-' reads it from stdin).")
    String token;

    @Option(names = "--no-browser", description = "Do not try to open a browser; print the URL and code.")
    boolean noBrowser;

    @Override
    public Integer call() throws Exception {
        Target target = Target.of(spec);
        Terminal term = target.terminal();
        return token != null ? withToken(term, target) : inBrowser(term, target);
    }

    private int withToken(Terminal term, Target target) throws IOException {
        String value = token.equals("-")
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine()
                : token;
        if (value == null || value.isBlank()) {
            throw new UsageError("--token needs a token (al_…)");
        }
        value = value.trim();
        Json me;
        try {
            me = target.anonymous().withToken(value).get("/v1/whoami");
        } catch (ApiException e) {
            throw new ApiException(
                    e.httpStatus(), e.grpcCode(), "the token was refused: " + e.getMessage(), e.reason());
        }
        HostEntry entry = entryFrom(me, value, target.stored());
        entry.mintedByLogin = null;
        target.save(entry);
        term.say("Logged in to " + target.host() + " as " + Sanitize.line(entry.handle) + " (token "
                + Sanitize.line(entry.tokenName) + ").");
        return 0;
    }

    private int inBrowser(Terminal term, Target target) throws InterruptedException {
        ApiClient api = target.anonymous();
        // The standard device grant (RFC 8628), as any OAuth client library would do it.
        Json code = api.postForm(DEVICE_AUTHORIZATION, Map.of("client_id", CLIENT_ID, "device_name", clientName()));
        String url = code.path("verification_uri_complete").asText();
        String userCode = Formats.text(code.path("user_code"));
        term.say("To sign in, open this page in a browser and approve the code " + userCode + ":");
        term.box(List.of("Open  " + Sanitize.line(url), "Code  " + userCode));
        if (!noBrowser) {
            if (!browsable(url, target.host())) {
                // Whatever the server says, the browser goes only to the host itself: a compromised or
                // impersonated server must not send it anywhere else (a phishing page, a local file).
                term.say("(not opening a browser: that page is not on " + target.host() + " over https)");
            } else if (openBrowser(term, url)) {
                term.say("(opened your browser)");
            }
        }
        long interval = Math.max(1, code.path("interval").asLong(5));
        // The machine's clock and pacing, handed in: tests wait for no real time.
        LocalMachine machine = local.get();
        BlockingQueue<Object> nothing = new LinkedBlockingQueue<>(); // waiting on it waits out the time
        Clock clock = machine.clock();
        long deadline = clock.millis() + code.path("expires_in").asLong(600) * 1000;
        term.say("Waiting for approval (Ctrl-C to cancel)...");
        while (clock.millis() < deadline) {
            // A spinner frame every 100 ms while waiting (drawn only on a person's terminal).
            for (long waited = 0; waited < interval * 1000; waited += SPIN_MILLIS) {
                term.spin("waiting for approval of " + userCode);
                machine.pacing().next(nothing, Duration.ofMillis(SPIN_MILLIS));
            }
            try {
                Json done = api.postForm(
                        TOKEN,
                        Map.of(
                                "grant_type",
                                DEVICE_GRANT,
                                "device_code",
                                code.path("device_code").asText(),
                                "client_id",
                                CLIENT_ID));
                String secret = done.path("access_token").asText();
                Json me = api.withToken(secret).get("/v1/whoami");
                HostEntry entry = entryFrom(me, secret, target.stored());
                entry.mintedByLogin = true;
                target.save(entry);
                term.endTicks();
                term.say("Logged in to " + target.host() + " as " + Sanitize.line(entry.handle) + " (token "
                        + Sanitize.line(entry.tokenName) + ").");
                return 0;
            } catch (ApiException e) {
                switch (e.reason()) {
                    case "authorization_pending" -> {
                        // still waiting
                    }
                    case "slow_down" -> interval += 5;
                    case "access_denied" ->
                        throw new ApiException(
                                e.httpStatus(), e.grpcCode(), "the sign-in was denied in the browser", e.reason());
                    case "expired_token" ->
                        throw new ApiException(
                                e.httpStatus(),
                                e.grpcCode(),
                                "the code expired before it was approved; run `autolab login` again",
                                e.reason());
                    default -> throw e;
                }
            }
        }
        throw new ApiException(
                400, 9, "the code expired before it was approved; run `autolab login` again", "expired_token");
    }

    private static HostEntry entryFrom(Json me, String token, HostEntry previous) {
        HostEntry entry = new HostEntry();
        entry.token = token;
        entry.handle = me.path("user").path("handle").asText();
        entry.tokenId = me.path("token").path("id").asText();
        entry.tokenName = me.path("token").path("name").asText();
        entry.kind = Formats.enumName(me.path("token").path("kind"), "TOKEN_KIND_", "pat");
        entry.project = previous != null && entry.handle.equals(previous.handle) ? previous.project : null;
        return entry;
    }

    /**
     * Whether the verification page may be opened in a browser: an https URL on the host's own
     * origin, or (for a local suite) the loopback host's own origin. Nothing with user info or
     * characters a terminal would have to escape.
     */
    static boolean browsable(String url, String host) {
        if (!url.equals(Sanitize.line(url)) || url.indexOf('@') >= 0) {
            return false;
        }
        String origin = Hosts.originOf(url);
        if (origin == null || !origin.equals(Hosts.originOf(host))) {
            return false;
        }
        return origin.startsWith("https://") || Hosts.isLoopback(host);
    }

    /** This machine's name, as the token will be called: {@code login@<name>}. */
    static String clientName() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            name = System.getenv().getOrDefault("HOSTNAME", "unknown-host");
        }
        String clean = name.replaceAll("[^A-Za-z0-9._-]", "-");
        clean = clean.length() > 64 ? clean.substring(0, 64) : clean;
        return clean.isEmpty() ? "unknown-host" : clean;
    }

    /** Opens the URL where a browser can be expected (a desktop session); false over SSH or headless. */
    private static boolean openBrowser(Terminal term, String url) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String[] command;
        if (os.contains("mac")) {
            command = new String[] {"open", url};
        } else if (os.contains("win")) {
            command = new String[] {"rundll32", "url.dll,FileProtocolHandler", url};
        } else if (term.env("DISPLAY") != null || term.env("WAYLAND_DISPLAY") != null) {
            command = new String[] {"xdg-open", url};
        } else {
            return false;
        }
        try {
            new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
