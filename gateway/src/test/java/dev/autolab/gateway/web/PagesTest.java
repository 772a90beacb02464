package dev.autolab.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.autolab.gateway.fake.FakeAuthService;
import dev.autolab.gateway.fake.Http;
import dev.autolab.proto.auth.v1.SessionServiceGrpc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The pages: sign-in rotates the CSRF token, sign-out revokes and clears, the approval page says who asks. */
@QuarkusTest
@WithTestResource(FakeAuthService.class)
class PagesTest {
    private static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";
    private static final String SESSION_COOKIE = SessionCookie.NAME + "=" + FakeAuthService.SESSION;
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private static String cookie(HttpResponse<String> reply, String name) {
        for (String c : reply.headers().allValues("set-cookie")) {
            if (c.startsWith(name + "=")) {
                return c;
            }
        }
        return null;
    }

    private static String value(String setCookie) {
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }

    private static String csrfField(String page) {
        Matcher m = CSRF_FIELD.matcher(page);
        assertTrue(m.find(), page);
        return m.group(1);
    }

    private static String form(String... pairs) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            out.append(i == 0 ? "" : "&")
                    .append(pairs[i])
                    .append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    /** A form POST as a browser sends it from one of the gateway's pages (with our Origin). */
    private static HttpResponse<String> post(String path, String body, String cookies) throws Exception {
        return post(path, body, cookies, "origin", Http.base());
    }

    private static HttpResponse<String> post(String path, String body, String cookies, String... headers)
            throws Exception {
        String[] all = new String[4 + headers.length];
        all[0] = "content-type";
        all[1] = "application/x-www-form-urlencoded";
        all[2] = "cookie";
        all[3] = cookies;
        System.arraycopy(headers, 0, all, 4, headers.length);
        return Http.send("POST", path, body, all);
    }

    /** A sign-out that would succeed (the CSRF pair matches), from where the given headers say. */
    private static HttpResponse<String> signOutWith(String... headers) throws Exception {
        String csrf = "o".repeat(40);
        return post("/signout", form("csrf", csrf), SESSION_COOKIE + "; " + Csrf.COOKIE + "=" + csrf, headers);
    }

    @Test
    void aFormPostFromAnotherOriginIsRefused() throws Exception {
        String delete = SessionServiceGrpc.getDeleteSessionMethod().getFullMethodName();
        int before = FakeAuthService.calls(delete);
        for (String origin : new String[] {
            "https://evil.example",
            "null",
            "http://evil.localhost:" + Http.base().replaceAll(".*:", "")
        }) {
            HttpResponse<String> refused = signOutWith("origin", origin);
            assertEquals(403, refused.statusCode(), origin);
            assertTrue(refused.body().contains("The form expired; please try again."), refused.body());
        }
        assertEquals(before, FakeAuthService.calls(delete), "signed out from another origin");
    }

    @Test
    void withoutOriginAFormPostNeedsSecFetchSiteOrAReferrerOfOurs() throws Exception {
        assertEquals(403, signOutWith().statusCode(), "no evidence of where the form came from");
        assertEquals(403, signOutWith("sec-fetch-site", "same-site").statusCode());
        assertEquals(403, signOutWith("sec-fetch-site", "cross-site").statusCode());
        assertEquals(403, signOutWith("referer", "https://evil.example/page").statusCode());
        assertEquals(
                403,
                signOutWith("sec-fetch-site", "cross-site", "referer", Http.base() + "/")
                        .statusCode());
        assertEquals(303, signOutWith("sec-fetch-site", "same-origin").statusCode());
        assertEquals(303, signOutWith("referer", Http.base() + "/device?code=A").statusCode());
        assertEquals(303, signOutWith("origin", Http.base()).statusCode());
    }

    @Test
    void aCsrfCookieSentTwiceMatchesNothing() throws Exception {
        String delete = SessionServiceGrpc.getDeleteSessionMethod().getFullMethodName();
        int before = FakeAuthService.calls(delete);
        String csrf = "t".repeat(40);
        // A sibling subdomain tossed a second cookie of the same name: neither is believed.
        HttpResponse<String> refused = post(
                "/signout",
                form("csrf", csrf),
                SESSION_COOKIE + "; " + Csrf.COOKIE + "=" + csrf + "; " + Csrf.COOKIE + "=" + "u".repeat(40));
        assertEquals(403, refused.statusCode());
        assertEquals(before, FakeAuthService.calls(delete));
    }

    @Test
    void aSessionCookieSentTwiceIsNoSession() throws Exception {
        HttpResponse<String> home =
                Http.send("GET", "/", null, "cookie", SESSION_COOKIE + "; " + SessionCookie.NAME + "=als_tossed");
        assertFalse(home.body().contains("/signout"), home.body());
        HttpResponse<String> device =
                Http.send("GET", "/device?code=ABCD-EFGH", null, "cookie", SESSION_COOKIE + "; " + SESSION_COOKIE);
        assertEquals(303, device.statusCode());
        assertTrue(device.headers().firstValue("location").orElse("").startsWith("/signin?next="));
    }

    @Test
    void pagesAreNeverCachedNorSniffed() throws Exception {
        for (String path : new String[] {"/", "/signin", "/signup", "/device"}) {
            HttpResponse<String> page = Http.send("GET", path, null, "cookie", SESSION_COOKIE);
            assertEquals(200, page.statusCode(), path);
            assertEquals("no-store", page.headers().firstValue("cache-control").orElse(""), path);
            assertEquals(
                    "nosniff",
                    page.headers().firstValue("x-content-type-options").orElse(""),
                    path);
        }
        HttpResponse<String> refused = signOutWith("origin", "https://evil.example");
        assertEquals("no-store", refused.headers().firstValue("cache-control").orElse(""));
    }

    @Test
    void pagesSendTheirOriginOnForms() throws Exception {
        HttpResponse<String> page = Http.send("GET", "/signin", null);
        assertEquals(
                "same-origin",
                page.headers().firstValue("referrer-policy").orElse(""),
                "no-referrer makes a browser send Origin: null on the form POSTs, which are then refused");
    }

    @Test
    void signingInRotatesTheCsrfToken() throws Exception {
        HttpResponse<String> form = Http.send("GET", "/signin?next=%2Fdevice%3Fcode%3DABCD-EFGH", null);
        String before = value(cookie(form, Csrf.COOKIE));
        assertEquals(before, csrfField(form.body()));
        HttpResponse<String> signedIn = post(
                "/signin",
                form("csrf", before, "handle", "alice", "password", "right password", "next", "/device?code=ABCD-EFGH"),
                Csrf.COOKIE + "=" + before);
        assertEquals(303, signedIn.statusCode(), signedIn.body());
        assertEquals(
                "/device?code=ABCD-EFGH",
                signedIn.headers().firstValue("location").orElse(""));
        assertNotNull(cookie(signedIn, SessionCookie.NAME));
        String after = cookie(signedIn, Csrf.COOKIE);
        assertNotNull(after, "no new CSRF cookie at sign-in: " + signedIn.headers());
        assertNotEquals(before, value(after));
        assertTrue(value(after).length() >= 32);
    }

    @Test
    void aFailedSignInKeepsTheToken() throws Exception {
        String csrf = "c".repeat(40);
        HttpResponse<String> refused =
                post("/signin", form("csrf", csrf, "handle", "alice", "password", "wrong"), Csrf.COOKIE + "=" + csrf);
        assertEquals(401, refused.statusCode());
        assertNull(cookie(refused, SessionCookie.NAME));
        assertNull(cookie(refused, Csrf.COOKIE));
    }

    @Test
    void signedInPagesOfferSignOutAndSignedOutOnesDoNot() throws Exception {
        HttpResponse<String> in = Http.send("GET", "/", null, "cookie", SESSION_COOKIE);
        assertTrue(in.body().contains("<form method=\"post\" action=\"/signout\">"), in.body());
        assertTrue(in.body().contains(">Sign out</button>"));
        HttpResponse<String> out = Http.send("GET", "/", null);
        assertFalse(out.body().contains("/signout"), out.body());
        assertEquals(CSP, in.headers().firstValue("content-security-policy").orElse(""));
        assertFalse(in.body().contains("<script"));
        assertFalse(in.body().contains("<style"), "no inline style: the CSP allows only the stylesheet");
        assertFalse(in.body().contains(" style="), in.body());
        assertTrue(in.body().contains("<link rel=\"stylesheet\" href=\"/assets/autolab.css\">"), in.body());
    }

    @Test
    void signOutRevokesTheSessionAtAuthServiceThenClearsTheCookie() throws Exception {
        String delete = SessionServiceGrpc.getDeleteSessionMethod().getFullMethodName();
        int before = FakeAuthService.calls(delete);
        String csrf = "s".repeat(40);
        HttpResponse<String> out =
                post("/signout", form("csrf", csrf), SESSION_COOKIE + "; " + Csrf.COOKIE + "=" + csrf);
        assertEquals(303, out.statusCode(), out.body());
        assertEquals("/signin", out.headers().firstValue("location").orElse(""));
        assertEquals(before + 1, FakeAuthService.calls(delete));
        assertEquals("Bearer " + FakeAuthService.SESSION, FakeAuthService.lastAuthorization());
        String cleared = cookie(out, SessionCookie.NAME);
        assertNotNull(cleared, out.headers().toString());
        assertEquals("", value(cleared));
        assertTrue(cleared.contains("Max-Age=0"), cleared);
        assertNotEquals(csrf, value(cookie(out, Csrf.COOKIE)));
    }

    @Test
    void signOutWithoutTheCsrfTokenDoesNothing() throws Exception {
        String delete = SessionServiceGrpc.getDeleteSessionMethod().getFullMethodName();
        int before = FakeAuthService.calls(delete);
        HttpResponse<String> refused = post(
                "/signout", form("csrf", "x".repeat(40)), SESSION_COOKIE + "; " + Csrf.COOKIE + "=" + "y".repeat(40));
        assertEquals(403, refused.statusCode());
        assertEquals(before, FakeAuthService.calls(delete));
        assertNull(cookie(refused, SessionCookie.NAME));
    }

    @Test
    void theApprovalPageSaysWhoAsksFromWhereWhenAndAsWhom() throws Exception {
        HttpResponse<String> page =
                Http.send("GET", "/device?code=" + FakeAuthService.KNOWN_CODE, null, "cookie", SESSION_COOKIE);
        assertEquals(200, page.statusCode(), page.body());
        String body = page.body();
        assertTrue(body.contains("<dt>Machine</dt><dd>build-box-7</dd>"), body);
        assertTrue(body.contains("<dt>From address</dt><dd>198.51.100.23</dd>"), body);
        assertTrue(body.contains("<dt>Asked at</dt><dd>2027-01-15 08:00:00 UTC</dd>"), body);
        assertTrue(body.contains("Signed in as alice."), body);
        assertTrue(body.contains("<input type=\"hidden\" name=\"code\" value=\"ABCD-EFGH\">"), body);
        assertFalse(body.contains("class=\"warn\""), body);
        assertEquals("Bearer " + FakeAuthService.SESSION, FakeAuthService.lastAuthorization());
        assertEquals(CSP, page.headers().firstValue("content-security-policy").orElse(""));
        assertFalse(body.contains("<script"));
    }

    @Test
    void theApprovalPageWarnsWhenApprovingReplacesALiveLogin() throws Exception {
        HttpResponse<String> page =
                Http.send("GET", "/device?code=" + FakeAuthService.REPLACING_CODE, null, "cookie", SESSION_COOKIE);
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(
                page.body()
                        .contains("<p class=\"warn\" role=\"alert\">You already have a login token for"
                                + " <strong>build-box-7</strong>. Approving replaces it"),
                page.body());
    }

    @Test
    void anUnknownCodeShowsAuthServicesMessageNextToTheField() throws Exception {
        HttpResponse<String> page = Http.send("GET", "/device?code=NOPE-NOPE", null, "cookie", SESSION_COOKIE);
        assertEquals(404, page.statusCode(), page.body());
        assertTrue(
                page.body()
                        .contains("value=\"NOPE-NOPE\" aria-describedby=\"code-error\">\n<span id=\"code-error\">"
                                + "<p class=\"error\" role=\"alert\">no pending sign-in has code NOPE-NOPE; check the code your terminal"
                                + " shows</p></span>"),
                page.body());
        assertFalse(page.body().contains("decision"), "no approve button for an unknown code");
    }

    @Test
    void withoutASessionTheApprovalPageSendsToSignInAndBack() throws Exception {
        HttpResponse<String> page = Http.send("GET", "/device?code=ABCD-EFGH", null);
        assertEquals(303, page.statusCode());
        assertEquals(
                "/signin?next=%2Fdevice%3Fcode%3DABCD-EFGH",
                page.headers().firstValue("location").orElse(""));
    }
}
