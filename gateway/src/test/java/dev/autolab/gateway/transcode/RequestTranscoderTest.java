package dev.autolab.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;

import dev.autolab.gateway.route.PathTemplate;
import dev.autolab.gateway.route.Route;
import dev.autolab.gateway.upstream.Upstream;
import dev.autolab.proto.auth.v1.CreateTokenRequest;
import dev.autolab.proto.auth.v1.ListTokensRequest;
import dev.autolab.proto.auth.v1.ProjectServiceGrpc;
import dev.autolab.proto.auth.v1.Role;
import dev.autolab.proto.auth.v1.SetMemberRequest;
import dev.autolab.proto.auth.v1.TokenServiceGrpc;
import dev.autolab.proto.keys.v1.KeyServiceGrpc;
import dev.autolab.proto.keys.v1.UpdateKeyRequest;

class RequestTranscoderTest {
    private static final Upstream UP = new Upstream("test", "localhost", 1);

    private static Route route(
            com.google.protobuf.Descriptors.ServiceDescriptor service,
            String method,
            String verb,
            String path,
            String body) {
        return new Route(verb, PathTemplate.parse(path), service.findMethodByName(method), body, UP);
    }

    private static final Route CREATE_TOKEN = route(
            dev.autolab.proto.auth.v1.TokensProto.getDescriptor().findServiceByName("TokenService"),
            "CreateToken",
            "POST",
            "/v1/tokens",
            "*");
    private static final Route LIST_TOKENS = route(
            dev.autolab.proto.auth.v1.TokensProto.getDescriptor().findServiceByName("TokenService"),
            "ListTokens",
            "GET",
            "/v1/tokens",
            "");
    private static final Route SET_MEMBER = route(
            dev.autolab.proto.auth.v1.ProjectsProto.getDescriptor().findServiceByName("ProjectService"),
            "SetMember",
            "PUT",
            "/v1/projects/{project=*/*}/members/{handle}",
            "*");
    private static final Route UPDATE_KEY = route(
            dev.autolab.proto.keys.v1.KeysProto.getDescriptor().findServiceByName("KeyService"),
            "UpdateKey",
            "PATCH",
            "/v1/keys/{ref}",
            "changes");

    private static <T> T as(DynamicMessage m, com.google.protobuf.Parser<T> parser)
            throws InvalidProtocolBufferException {
        return parser.parseFrom(m.toByteArray());
    }

    @Test
    void theWholeBodyAcceptsBothFieldNameStyles() throws Exception {
        CreateTokenRequest camel = as(
                RequestTranscoder.transcode(CREATE_TOKEN, Map.of(), Map.of(), "{\"name\":\"ci\",\"expiresInDays\":30}"),
                CreateTokenRequest.parser());
        CreateTokenRequest snake = as(
                RequestTranscoder.transcode(
                        CREATE_TOKEN, Map.of(), Map.of(), "{\"name\":\"ci\",\"expires_in_days\":30}"),
                CreateTokenRequest.parser());
        assertEquals(30, camel.getExpiresInDays());
        assertEquals(camel, snake);
        assertEquals(TokenServiceGrpc.getCreateTokenMethod().getFullMethodName(), CREATE_TOKEN.fullMethodName());
    }

    @Test
    void anEmptyBodyIsAnEmptyRequest() throws Exception {
        assertEquals(
                CreateTokenRequest.getDefaultInstance(),
                as(RequestTranscoder.transcode(CREATE_TOKEN, Map.of(), Map.of(), ""), CreateTokenRequest.parser()));
    }

    @Test
    void unknownJsonFieldsAndMalformedJsonAreRefused() {
        TranscodingException unknown = assertThrows(
                TranscodingException.class,
                () -> RequestTranscoder.transcode(CREATE_TOKEN, Map.of(), Map.of(), "{\"nmae\":\"x\"}"));
        assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, unknown.code());
        assertTrue(unknown.getMessage().contains("nmae"), unknown.getMessage());
        assertThrows(
                TranscodingException.class, () -> RequestTranscoder.transcode(CREATE_TOKEN, Map.of(), Map.of(), "{"));
        assertThrows(
                TranscodingException.class,
                () -> RequestTranscoder.transcode(CREATE_TOKEN, Map.of(), Map.of(), "{\"expiresInDays\":\"soon\"}"));
    }

    @Test
    void queryParametersFillTheRestAndUnknownOnesAreRefused() throws Exception {
        assertEquals(
                true,
                as(
                                RequestTranscoder.transcode(
                                        LIST_TOKENS, Map.of(), Map.of("all", List.of("true")), null),
                                ListTokensRequest.parser())
                        .getAll());
        TranscodingException e = assertThrows(
                TranscodingException.class,
                () -> RequestTranscoder.transcode(LIST_TOKENS, Map.of(), Map.of("bogus", List.of("1")), null));
        assertTrue(
                e.getMessage().contains("unknown query parameter 'bogus'")
                        && e.getMessage().contains("all"),
                e.getMessage());
        assertThrows(
                TranscodingException.class,
                () -> RequestTranscoder.transcode(LIST_TOKENS, Map.of(), Map.of("all", List.of("maybe")), null));
        assertThrows(
                TranscodingException.class,
                () -> RequestTranscoder.transcode(LIST_TOKENS, Map.of(), Map.of(), "{\"all\":true}"));
    }

    @Test
    void aControlCharacterInAPathVariableIsRefusedBeforeAnyServiceSeesIt() {
        // DELETE /v1/tokens/%00abc reached auth-service, whose database refused the byte (a 500).
        for (String bad : List.of("\u0000abc", "bob\n", "a\tb", "x\u007f")) {
            TranscodingException e = assertThrows(
                    TranscodingException.class,
                    () -> RequestTranscoder.transcode(
                            SET_MEMBER, Map.of("project", "alice/nanochat", "handle", bad), Map.of(), "{}"));
            assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().startsWith("parameter 'handle': "), e.getMessage());
            assertTrue(e.getMessage().endsWith("(control characters are not allowed)"), e.getMessage());
        }
    }

    @Test
    void pathVariablesFillTheirFieldsAlongsideTheBody() throws Exception {
        SetMemberRequest r = as(
                RequestTranscoder.transcode(
                        SET_MEMBER,
                        Map.of("project", "alice/nanochat", "handle", "bob"),
                        Map.of(),
                        "{\"role\":\"ROLE_RESEARCHER\"}"),
                SetMemberRequest.parser());
        assertEquals("alice/nanochat", r.getProject());
        assertEquals("bob", r.getHandle());
        assertEquals(Role.ROLE_RESEARCHER, r.getRole());
        assertEquals(ProjectServiceGrpc.getSetMemberMethod().getFullMethodName(), SET_MEMBER.fullMethodName());
    }

    @Test
    void aBodyFieldRouteParsesTheBodyIntoThatField() throws Exception {
        UpdateKeyRequest r = as(
                RequestTranscoder.transcode(
                        UPDATE_KEY,
                        Map.of("ref", "personal"),
                        Map.of(),
                        "{\"name\":\"work\",\"limitMicroUsd\":\"25000000\"}"),
                UpdateKeyRequest.parser());
        assertEquals("personal", r.getRef());
        assertEquals("work", r.getChanges().getName());
        assertEquals(25_000_000L, r.getChanges().getLimitMicroUsd());
        assertEquals(KeyServiceGrpc.getUpdateKeyMethod().getFullMethodName(), UPDATE_KEY.fullMethodName());
        // The body is the field's message, not the whole request.
        assertThrows(
                TranscodingException.class,
                () -> RequestTranscoder.transcode(
                        UPDATE_KEY, Map.of("ref", "p"), Map.of(), "{\"changes\":{\"name\":\"x\"}}"));
    }

    @Test
    void errorsMapToHttpByTheStandardTable() {
        assertEquals(400, GrpcHttpStatus.httpStatus(3));
        assertEquals(401, GrpcHttpStatus.httpStatus(16));
        assertEquals(403, GrpcHttpStatus.httpStatus(7));
        assertEquals(404, GrpcHttpStatus.httpStatus(5));
        assertEquals(409, GrpcHttpStatus.httpStatus(6));
        assertEquals(400, GrpcHttpStatus.httpStatus(9));
        assertEquals(429, GrpcHttpStatus.httpStatus(8));
        assertEquals(503, GrpcHttpStatus.httpStatus(14));
        assertEquals(504, GrpcHttpStatus.httpStatus(4));
        assertEquals(500, GrpcHttpStatus.httpStatus(13));
    }
}
