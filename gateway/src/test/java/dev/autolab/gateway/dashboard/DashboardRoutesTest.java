package dev.autolab.gateway.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.autolab.gateway.fake.FakeAuthService;
import dev.autolab.gateway.fake.Http;
import dev.autolab.gateway.web.Csrf;
import dev.autolab.gateway.web.SessionCookie;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The dashboard's page and files: behind the session, a strict CSP, the right types, no inline script. */
@QuarkusTest
@WithTestResource(FakeAuthService.class)
class DashboardRoutesTest {
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; require-trusted-types-for 'script'";
    private static final String SESSION_COOKIE = SessionCookie.NAME + "=" + FakeAuthService.SESSION;

    private static HttpResponse<String> dashboard() throws Exception {
        return Http.send("GET", "/dashboard", null, "cookie", SESSION_COOKIE);
    }

    private static String header(HttpResponse<?> reply, String name) {
        return reply.headers().firstValue(name).orElse("");
    }

    @Test
    void signedOutBrowsersAreSentToSignInAndBack() throws Exception {
        HttpResponse<String> reply = Http.send("GET", "/dashboard", null);
        assertEquals(303, reply.statusCode());
        assertEquals("/signin?next=%2Fdashboard", header(reply, "location"));
        assertFalse(reply.body().contains("<html"), "nothing of the page without a session");
        HttpResponse<String> empty = Http.send("GET", "/dashboard", null, "cookie", SessionCookie.NAME + "=");
        assertEquals(303, empty.statusCode(), "an emptied cookie is no session");

        HttpResponse<String> signIn = Http.send("GET", header(reply, "location"), null);
        assertEquals(200, signIn.statusCode());
        assertTrue(signIn.body().contains("<input type=\"hidden\" name=\"next\" value=\"/dashboard\">"), signIn.body());
    }

    @Test
    void thePageHasAStrictPolicyAndNoInlineScriptOrStyle() throws Exception {
        HttpResponse<String> page = dashboard();
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", header(page, "content-type"));
        assertEquals(CSP, header(page, "content-security-policy"));
        assertEquals("DENY", header(page, "x-frame-options"));
        assertEquals("nosniff", header(page, "x-content-type-options"));
        assertEquals("same-origin", header(page, "referrer-policy"), "no-referrer would make the writes' Origin null");
        assertEquals("no-store", header(page, "cache-control"), "the page carries a CSRF token");

        String html = page.body();
        Matcher scripts =
                Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(html);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertTrue(scripts.group(1).contains("src=\"/assets/"), "a script from elsewhere: " + scripts.group());
            assertEquals("", scripts.group(2).trim(), "inline script: " + scripts.group());
        }
        assertEquals(1, count, "the page loads exactly its one script");
        assertFalse(html.contains("<style"), "inline style element");
        assertFalse(Pattern.compile("\\sstyle=").matcher(html).find(), "inline style attribute");
        assertFalse(
                Pattern.compile("\\son[a-z]+=", Pattern.CASE_INSENSITIVE)
                        .matcher(html)
                        .find(),
                "event attribute");
        assertFalse(html.contains("javascript:"));
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("//cdn"), "nothing remote");
        assertTrue(html.contains("<link rel=\"stylesheet\" href=\"/assets/autolab.css\">"));
    }

    @Test
    void signOutOnThePageCarriesTheCsrfTokenOfItsCookie() throws Exception {
        String token = "t".repeat(43);
        HttpResponse<String> page =
                Http.send("GET", "/dashboard", null, "cookie", SESSION_COOKIE + "; " + Csrf.COOKIE + "=" + token);
        assertTrue(page.body().contains("<form method=\"post\" action=\"/signout\""), page.body());
        assertTrue(page.body().contains("name=\"csrf\" value=\"" + token + "\""), page.body());

        HttpResponse<String> fresh = dashboard();
        String cookie = fresh.headers().allValues("set-cookie").stream()
                .filter(c -> c.startsWith(Csrf.COOKIE + "="))
                .findFirst()
                .orElse(null);
        assertNotNull(cookie, "a browser without a CSRF cookie gets one");
        assertTrue(cookie.contains("HTTPOnly") || cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        String value = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
        assertTrue(fresh.body().contains("name=\"csrf\" value=\"" + value + "\""));
    }

    @Test
    void staticFilesHaveTheirTypesAndAreRevalidated() throws Exception {
        String[][] files = {
            {"/assets/autolab.css", "text/css; charset=utf-8"},
            {"/assets/dashboard.js", "text/javascript; charset=utf-8"},
            {"/assets/favicon.svg", "image/svg+xml"},
        };
        for (String[] file : files) {
            HttpResponse<String> reply = Http.send("GET", file[0], null);
            assertEquals(200, reply.statusCode(), file[0]);
            assertEquals(file[1], header(reply, "content-type"), file[0]);
            assertEquals("nosniff", header(reply, "x-content-type-options"), file[0]);
            assertEquals("no-cache", header(reply, "cache-control"), file[0]);
            assertEquals(CSP, header(reply, "content-security-policy"), file[0]);
            String etag = header(reply, "etag");
            assertTrue(etag.matches("\"[0-9a-f]{32}\""), etag);

            HttpResponse<String> again = Http.send("GET", file[0], null, "if-none-match", etag);
            assertEquals(304, again.statusCode(), file[0]);
            assertEquals("", again.body());
            assertEquals(
                    200,
                    Http.send("GET", file[0], null, "if-none-match", "\"stale\"")
                            .statusCode(),
                    "a changed file is sent again");
        }
    }

    @Test
    void onlyTheListedFilesAreServed() throws Exception {
        for (String path : new String[] {
            "/assets/nope.js", "/assets/index.html", "/assets/..%2Fapplication.properties", "/assets/%2e%2e%2fpom.xml"
        }) {
            HttpResponse<String> reply = Http.send("GET", path, null);
            assertEquals(404, reply.statusCode(), path);
        }
    }

    @Test
    void theStylesheetIsLightAndDarkAndTheScriptNeverWritesHtml() throws Exception {
        String css = Http.send("GET", "/assets/autolab.css", null).body();
        assertTrue(css.contains("@media (prefers-color-scheme: dark)"), "no dark scheme");
        assertFalse(css.contains("@import") || css.contains("url("), "the stylesheet fetches nothing else");

        String js = Http.send("GET", "/assets/dashboard.js", null).body();
        // Also what lets the CSP require Trusted Types: any of these would throw in the browser.
        for (String sink : new String[] {
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "srcdoc",
            "DOMParser",
            "createContextualFragment",
            "el(\"script\"",
            "el(\"iframe\"",
            "createElement(\"script\""
        }) {
            assertFalse(js.contains(sink), "the script uses " + sink + ": server text must go in as text");
        }
        assertFalse(js.contains("localStorage.setItem(\"autolab.token") || js.contains("sessionStorage"));
    }

    @Test
    void secretsOnThePageAreNeitherSavedNorKept() throws Exception {
        String html = dashboard().body();
        Matcher token =
                Pattern.compile("<input id=\"token-secret-value\"[^>]*>").matcher(html);
        assertTrue(token.find(), html);
        assertTrue(token.group().contains("autocomplete=\"off\""), token.group());

        Matcher key = Pattern.compile("<input id=\"key-value\"[^>]*>").matcher(html);
        assertTrue(key.find(), html);
        assertTrue(key.group().contains("type=\"text\""), "a password field goes to password managers: " + key.group());
        assertTrue(key.group().contains("class=\"masked\""), key.group());
        assertTrue(key.group().contains("autocomplete=\"off\""), key.group());
        assertFalse(html.contains("type=\"password\""), "no password field on the dashboard");

        String css = Http.send("GET", "/assets/autolab.css", null).body();
        assertTrue(css.contains(".masked { -webkit-text-security: disc; }"), "masked fields show dots");
        String js = Http.send("GET", "/assets/dashboard.js", null).body();
        assertTrue(js.contains("addEventListener(\"pagehide\""), "the shown token is cleared when the page is left");
        assertFalse(js.contains("type: \"password\""), "the rotation dialog's value field is masked text too");
    }
}
