package dev.autolab.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NextPathTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                // not a path, or another site
                "https://evil.example",
                "http:/evil.example",
                "javascript:alert(1)",
                "evil.example",
                "",
                "//evil.example",
                "///evil.example",
                "/\\evil.example",
                "\\\\evil.example",
                "/x\\y",
                // raw control characters and spaces, which browsers drop or keep unpredictably
                "/\t/evil.example",
                "/\n/evil.example",
                "/\r\n/evil.example",
                " /x",
                "/x y",
                "/x\u0000y",
                "/\u0085x",
                "/\u00e9",
                "/\u3000/evil.example",
                "/x\"onload=",
                "/<script>",
                // the same, percent-encoded, once or twice
                "/%09/evil.example",
                "/%0a/evil.example",
                "/%0D/evil.example",
                "/%00",
                "/%7f",
                "/%C2%85x",
                "/%5c/evil.example",
                "/%5C%5Cevil.example",
                "/%2f/evil.example",
                "/%2F%2Fevil.example",
                "/%252f/evil.example",
                "/%2509/evil.example",
                "/%255c/evil.example",
                // broken escapes and bytes that are not UTF-8
                "/%",
                "/%zz",
                "/%2",
                "/%ff%fe",
            })
    void anythingButAPlainLocalPathGoesHome(String attack) {
        assertEquals(
                "/",
                WebPages.safeNext(attack),
                () -> "accepted "
                        + attack.chars()
                                .mapToObj(c ->
                                        c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c))
                                .reduce("", String::concat));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/",
                "/device?code=ABCD-EFGH",
                "/device?code=ABCD%2DEFGH",
                "/a/b/c#top",
                "/search?q=a+b&x=1",
                "/%C3%A9t%C3%A9",
                "/%C4%81"
            })
    void aLocalPathIsKept(String path) {
        assertEquals(path, WebPages.safeNext(path));
    }

    @Test
    void nullAndOverlongGoHome() {
        assertEquals("/", WebPages.safeNext(null));
        assertEquals("/", WebPages.safeNext("/" + "a".repeat(5000)));
    }
}
