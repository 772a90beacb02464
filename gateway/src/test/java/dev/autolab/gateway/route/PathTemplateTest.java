package dev.autolab.gateway.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PathTemplateTest {

    @Test
    void literalPathsMatchExactly() {
        PathTemplate t = PathTemplate.parse("/v1/whoami");
        assertEquals(Map.of(), t.match("/v1/whoami"));
        assertNull(t.match("/v1/whoami/extra"));
        assertNull(t.match("/v1/who"));
        assertNull(t.match("/v1/whoami/"));
    }

    @Test
    void aSingleSegmentVariableBindsOneSegment() {
        PathTemplate t = PathTemplate.parse("/v1/tokens/{ref}");
        assertEquals(Map.of("ref", "gpu-box"), t.match("/v1/tokens/gpu-box"));
        assertNull(t.match("/v1/tokens/a/b"));
        assertNull(t.match("/v1/tokens/"));
    }

    @Test
    void variablesArePercentDecoded() {
        PathTemplate t = PathTemplate.parse("/v1/tokens/{ref}");
        assertEquals(Map.of("ref", "login@my box"), t.match("/v1/tokens/login%40my%20box"));
        assertEquals(Map.of("ref", "a+b"), t.match("/v1/tokens/a+b"));
    }

    @Test
    void aMultiSegmentVariableBindsOwnerAndName() {
        PathTemplate t = PathTemplate.parse("/v1/projects/{project=*/*}/members/{handle}");
        assertEquals(
                Map.of("project", "alice/nanochat", "handle", "bob"),
                t.match("/v1/projects/alice/nanochat/members/bob"));
        assertNull(t.match("/v1/projects/alice/members/bob"));
        assertNull(t.match("/v1/projects/alice/nanochat/extra/members/bob"));
    }

    @Test
    void anEncodedSlashDoesNotSplitASegment() {
        PathTemplate t = PathTemplate.parse("/v1/projects/{project=*/*}");
        assertNull(t.match("/v1/projects/alice%2Fnanochat"));
    }

    @Test
    void doubleStarTakesTheRest() {
        PathTemplate t = PathTemplate.parse("/v1/files/{path=**}");
        assertEquals(Map.of("path", "a/b/c"), t.match("/v1/files/a/b/c"));
        assertThrows(IllegalArgumentException.class, () -> PathTemplate.parse("/v1/{a=**}/x"));
    }
}
