package dev.autolab.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The pages and the dashboard in a real browser (headless chromium): what a person does, each result
 * checked through the REST API as well, and a screenshot of each screen under e2e/target/screenshots/.
 */
class BrowserTest {
    private static final String KEY_VALUE = "sk-openai-browser-test-0000000000000000WXYZ";
    private static Browser browser;

    @BeforeAll
    static void startBrowser() {
        Suite.get();
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void freshBrowser() {
        browser.resize(1280, 900);
        browser.open("/signin");
        browser.driver.manage().deleteAllCookies();
    }

    private static String uniqueHandle(String base) {
        return base + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
    }

    /** Signs in on the sign-in page, coming back to {@code next}. */
    private static void signIn(String handle, String password, String next) {
        browser.open("/signin?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8));
        browser.type("#handle", handle);
        browser.type("#password", password);
        browser.click("button.primary");
    }

    private static Rest.Reply withCookie(String method, String path, String session) throws Exception {
        return Rest.send(method, path, null, "cookie", "autolab_session=" + session);
    }

    @Test
    void signUpSignOutAndSignInAgain() throws Exception {
        String handle = uniqueHandle("ada");
        browser.open("/dashboard");
        browser.waitForPath("/signin");
        browser.click("a[href^='/signup']");
        browser.type("#handle", handle);
        browser.type("#email", handle + "@example.org");
        browser.type("#password", Rest.PASSWORD);
        browser.screenshot("signup");
        browser.click("button.primary");

        // Signed up and signed in, back on the dashboard it first asked for.
        browser.waitForPath("/dashboard");
        browser.waitForText("#who", "Signed in as " + handle);
        String session = browser.sessionCookie();
        Rest.Reply whoami = withCookie("GET", "/v1/whoami", session);
        assertEquals(200, whoami.status(), whoami.json().toString());
        assertEquals(handle, whoami.json().path("user").path("handle").asText());

        browser.click("form[action='/signout'] button");
        browser.waitForPath("/signin");
        assertEquals(401, withCookie("GET", "/v1/whoami", session).status(), "sign-out revoked the session");

        signIn(handle, "not the password", "/dashboard");
        String error = browser.waitForText(".error", "wrong handle or password");
        assertTrue(error.contains("wrong handle or password"), error);
        browser.screenshot("signin");

        signIn(handle, Rest.PASSWORD, "/dashboard");
        browser.waitForPath("/dashboard");
        browser.waitForText("#who", handle);
        assertEquals(
                handle,
                withCookie("GET", "/v1/whoami", browser.sessionCookie())
                        .json()
                        .path("user")
                        .path("handle")
                        .asText());
    }

    @Test
    void approveADeviceLogin() throws Exception {
        String handle = Rest.signUp("bea");
        JsonNode code = Rest.send("POST", "/v1/device/code", "{\"clientName\":\"lab-box\"}")
                .json();
        String userCode = code.path("userCode").asText();

        browser.open("/device?code=" + userCode);
        browser.waitForPath("/signin");
        browser.type("#handle", handle);
        browser.type("#password", Rest.PASSWORD);
        browser.click("button.primary");
        browser.waitForPath("/device");
        String page = browser.waitForText("main", userCode);
        assertTrue(page.contains("lab-box"), page);
        assertTrue(page.contains(handle), page);
        browser.screenshot("approval");
        browser.click("button[value='approve']");
        browser.waitForText("main", "lab-box is now signed in as you");

        // The terminal's side: its poll now gets the login token.
        Thread.sleep(code.path("interval").asLong(5) * 1000);
        Rest.Reply token = Rest.send(
                "POST",
                "/v1/device/token",
                "{\"deviceCode\":\"" + code.path("deviceCode").asText() + "\"}");
        assertEquals(200, token.status(), token.json().toString());
        assertEquals("login@lab-box", token.json().path("token").path("name").asText());
        Rest.Reply whoami = Rest.send(
                "GET",
                "/v1/whoami",
                null,
                "authorization",
                Rest.bearer(token.json().path("accessToken").asText()));
        assertEquals(
                handle,
                whoami.json().path("user").path("handle").asText(),
                whoami.json().toString());
    }

    @Test
    void createAndRevokeAnAccessToken() throws Exception {
        String handle = Rest.signUp("cy");
        signIn(handle, Rest.PASSWORD, "/dashboard");
        browser.waitForPath("/dashboard");
        browser.dashboard("#tokens");

        // The tabs by keyboard: arrows move between them, as WAI-ARIA tabs do.
        browser.find("#tab-tokens").sendKeys(Keys.ARROW_RIGHT);
        browser.find("#panel-keys");
        assertEquals("true", browser.find("#tab-keys").getDomAttribute("aria-selected"));
        browser.find("#tab-keys").sendKeys(Keys.ARROW_LEFT);
        browser.find("#panel-tokens");

        // A refusal shows the service's words next to the field that caused it.
        browser.type("#token-name", "bad name!");
        browser.click("#token-create button.primary");
        String nameError = browser.waitForText("#token-name-error", "is not a valid token name");
        assertTrue(nameError.contains("\"bad name!\" is not a valid token name"), nameError);

        browser.type("#token-name", "browser-made");
        browser.type("#token-expiry", "30");
        browser.click("#token-create button.primary");
        WebElement secretBox = browser.find("#token-secret-value");
        browser.wait.until(d -> secretBox.getDomProperty("value").startsWith("al_"));
        String secret = secretBox.getDomProperty("value");
        browser.click("#token-secret-copy");
        browser.waitForText("#token-secret-status", "Copied.");
        browser.find("tr[data-token='browser-made']");
        browser.screenshot("tokens");

        Rest.Reply me = Rest.send("GET", "/v1/whoami", null, "authorization", Rest.bearer(secret));
        assertEquals(200, me.status(), me.json().toString());
        assertEquals("browser-made", me.json().path("token").path("name").asText());
        assertTrue(me.json().path("token").has("expiresAt"), "a token made in the browser expires");

        browser.click("#token-secret-done");
        assertFalse(browser.driver.getPageSource().contains(secret), "the token is shown only on its creation screen");
        browser.dashboard("#tokens");
        assertFalse(browser.driver.getPageSource().contains(secret));

        browser.click("tr[data-token='browser-made'] button");
        browser.find("#confirm[open]");
        browser.waitForText("#confirm-title", "Revoke browser-made?");
        browser.click("#confirm-ok");
        browser.wait.until(
                ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("tr[data-token='browser-made']")));
        assertEquals(
                401,
                Rest.send("GET", "/v1/whoami", null, "authorization", Rest.bearer(secret))
                        .status());

        browser.click("#token-all");
        String row = browser.waitForText("tr[data-token='browser-made']", "revoked");
        assertTrue(row.contains("revoked"), row);
    }

    @Test
    void addAKeyBindItWithAModelAndChangeItsLimit() throws Exception {
        String handle = Rest.signUp("dee");
        String pat = Rest.pat(handle, "setup");
        Rest.Reply created =
                Rest.send("POST", "/v1/projects", "{\"name\":\"nanochat\"}", "authorization", Rest.bearer(pat));
        assertEquals(200, created.status(), created.json().toString());
        String project = handle + "/nanochat";

        signIn(handle, Rest.PASSWORD, "/dashboard#keys");
        browser.waitForPath("/dashboard");
        browser.dashboard("#keys");
        assertEquals(
                project,
                new Select(browser.find("#project")).getFirstSelectedOption().getDomProperty("value"));
        browser.waitForText("#llm-current", "platform key");

        // Add, with the value masked and an optional limit; a bad limit is refused next to its field first.
        new Select(browser.find("#key-provider")).selectByValue("openai");
        browser.type("#key-name", "personal");
        assertMaskedText(browser.find("#key-value"));
        browser.type("#key-value", KEY_VALUE);
        browser.type("#key-limit", "lots");
        browser.click("#key-add button.primary");
        String limitError = browser.waitForText("#key-limit-error", "takes an amount in US dollars");
        assertTrue(limitError.contains("like 25 or 12.50"), limitError);
        browser.type("#key-limit", "25");
        browser.click("#key-add button.primary");
        browser.waitForText("#key-add-status", "Stored personal");
        browser.find("tr[data-key='personal']");
        assertEquals("", browser.find("#key-value").getDomProperty("value"), "the value leaves the form once stored");
        assertFalse(browser.driver.getPageSource().contains(KEY_VALUE), "a key's value is never on the page");

        JsonNode key = Rest.send("GET", "/v1/keys", null, "authorization", Rest.bearer(pat))
                .json()
                .path("keys")
                .path(0);
        assertEquals("personal", key.path("name").asText());
        assertEquals("openai", key.path("provider").asText());
        assertEquals("WXYZ", key.path("hint").asText());
        assertEquals(25_000_000L, key.path("limitMicroUsd").asLong());

        // Bind to the current project with a model pin; a model of another provider is refused, in its words.
        Select keyChoice = new Select(browser.find("#llm-key"));
        keyChoice.selectByValue(key.path("id").asText());
        browser.type("#llm-model", "anthropic/claude-sonnet-4-5");
        browser.click("#llm-save");
        String modelError = browser.waitForText("#llm-model-error", "is from anthropic");
        assertTrue(modelError.contains("pin an openai/... model"), modelError);
        browser.type("#llm-model", "openai/gpt-5.5");
        browser.click("#llm-save");
        browser.waitForText("#llm-status", "Saved.");
        browser.waitForText("#llm-current", "personal");
        browser.waitForText("tr[data-key='personal']", project);

        JsonNode llm = Rest.send("GET", "/v1/projects/" + project + "/llm", null, "authorization", Rest.bearer(pat))
                .json();
        assertFalse(llm.path("platform").asBoolean(), llm.toString());
        assertEquals("personal", llm.path("key").path("name").asText());
        assertEquals("openai/gpt-5.5", llm.path("model").asText());

        // Change the limit in the dialog, by keyboard.
        browser.click("tr[data-key='personal'] button[aria-label^='Change the limit']");
        WebElement limit = browser.find("#confirm-limit");
        limit.clear();
        limit.sendKeys("50", Keys.ENTER);
        browser.waitForText("tr[data-key='personal']", "$50.00");
        assertEquals(
                50_000_000L,
                Rest.send("GET", "/v1/keys", null, "authorization", Rest.bearer(pat))
                        .json()
                        .path("keys")
                        .path(0)
                        .path("limitMicroUsd")
                        .asLong());
        browser.screenshot("keys");

        // Rotate: a new value in a masked field of the dialog; only its hint comes back.
        browser.click("tr[data-key='personal'] button[aria-label^='Rotate']");
        WebElement rotated = browser.find("#confirm-value");
        assertMaskedText(rotated);
        rotated.sendKeys("sk-openai-browser-test-rotated-00000000QRST", Keys.ENTER);
        browser.waitForText("tr[data-key='personal']", "QRST");
        assertEquals(
                "QRST",
                Rest.send("GET", "/v1/keys", null, "authorization", Rest.bearer(pat))
                        .json()
                        .path("keys")
                        .path(0)
                        .path("hint")
                        .asText());
        assertFalse(browser.driver.getPageSource().contains("rotated-00000000QRST"));

        browser.resize(390, 900);
        browser.dashboard("#keys");
        browser.screenshot("keys-narrow");

        browser.resize(1280, 900);
        browser.driver.executeCdpCommand(
                "Emulation.setEmulatedMedia",
                java.util.Map.of(
                        "features",
                        java.util.List.of(java.util.Map.of("name", "prefers-color-scheme", "value", "dark"))));
        try {
            browser.dashboard("#keys");
            browser.screenshot("keys-dark");
        } finally {
            browser.driver.executeCdpCommand(
                    "Emulation.setEmulatedMedia", java.util.Map.of("features", java.util.List.of()));
        }

        // Delete: the confirmation names the project using it, which goes back to the platform key.
        browser.click("tr[data-key='personal'] button[aria-label^='Delete']");
        String confirmText = browser.waitForText("#confirm-text", project);
        assertTrue(confirmText.contains("go back to the platform key"), confirmText);
        browser.click("#confirm-ok");
        browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("tr[data-key='personal']")));
        assertEquals(
                0,
                Rest.send("GET", "/v1/keys", null, "authorization", Rest.bearer(pat))
                        .json()
                        .path("keys")
                        .size());
        assertTrue(Rest.send("GET", "/v1/projects/" + project + "/llm", null, "authorization", Rest.bearer(pat))
                .json()
                .path("platform")
                .asBoolean());
        browser.waitForText("#llm-current", "platform key");
    }

    /** A secret field: masked text, which password managers do not take for a site password, never saved. */
    private static void assertMaskedText(WebElement field) {
        assertEquals("text", field.getDomAttribute("type"));
        assertEquals("off", field.getDomAttribute("autocomplete"));
        assertEquals("disc", field.getCssValue("-webkit-text-security"));
    }
}
