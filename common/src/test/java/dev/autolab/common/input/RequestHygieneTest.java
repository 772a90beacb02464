package dev.autolab.common.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import dev.autolab.proto.auth.v1.AuthorizeRequest;
import dev.autolab.proto.auth.v1.CreateUserRequest;
import dev.autolab.proto.keys.v1.KeyChanges;
import dev.autolab.proto.keys.v1.UpdateKeyRequest;

class RequestHygieneTest {

    @Test
    void findsANulInATopLevelField() {
        assertEquals(
                "displayName",
                RequestHygiene.fieldWithNul(CreateUserRequest.newBuilder()
                        .setHandle("alice")
                        .setDisplayName("A\0")
                        .build()));
    }

    @Test
    void findsANulInANestedMessage() {
        assertEquals(
                "changes.name",
                RequestHygiene.fieldWithNul(UpdateKeyRequest.newBuilder()
                        .setRef("abcd")
                        .setChanges(KeyChanges.newBuilder().setName("n\0"))
                        .build()));
    }

    @Test
    void cleanMessagesPass() {
        assertNull(RequestHygiene.fieldWithNul(
                AuthorizeRequest.newBuilder().setToken("al_x").setProject("a/b").build()));
        assertNull(RequestHygiene.fieldWithNul(CreateUserRequest.newBuilder()
                .setDisplayName("tab\tis fine here")
                .build()));
    }
}
