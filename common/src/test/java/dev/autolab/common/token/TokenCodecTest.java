package dev.autolab.common.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenCodecTest {

    @ParameterizedTest
    @EnumSource(TokenType.class)
    void mintedTokensHaveTheirPrefixLengthAndAValidChecksum(TokenType type) {
        String token = TokenCodec.mint(type);
        assertTrue(token.startsWith(type.prefix()));
        assertEquals(type.prefix().length() + 36, token.length());
        assertEquals(type, TokenCodec.typeOf(token));
        assertTrue(token.substring(type.prefix().length()).chars().allMatch(c -> TokenCodec.ALPHABET.indexOf(c) >= 0));
    }

    @Test
    void everyMintedTokenIsDifferent() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(TokenCodec.mint(TokenType.PERSONAL)));
        }
    }

    @Test
    void anyChangedCharacterBreaksTheChecksum() {
        String token = TokenCodec.mint(TokenType.PERSONAL);
        for (int i = 3; i < token.length(); i++) {
            char original = token.charAt(i);
            char replacement = original == 'a' ? 'b' : 'a';
            String typo = token.substring(0, i) + replacement + token.substring(i + 1);
            assertNull(TokenCodec.typeOf(typo), "typo at " + i + " accepted");
        }
    }

    @Test
    void checksumIsCrc32OfTheRandomPartInSixBase62Characters() {
        // The standard CRC32 check value: CRC32("123456789") = 0xCBF43926.
        long crc = 0xCBF43926L;
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            expected.insert(0, TokenCodec.ALPHABET.charAt((int) (crc % 62)));
            crc /= 62;
        }
        assertEquals(expected.toString(), TokenCodec.checksum("123456789"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "al_",
                "al_short",
                "xx_0123456789012345678901234567890123456",
                "Bearer al_0123456789012345678901234567890123456"
            })
    void malformedTokensAreRejected(String token) {
        assertNull(TokenCodec.typeOf(token));
    }

    @Test
    void nullIsRejected() {
        assertNull(TokenCodec.typeOf(null));
    }

    @Test
    void nonBase62CharactersAreRejectedEvenWithALength36Body() {
        String token = TokenCodec.mint(TokenType.PERSONAL);
        assertNull(TokenCodec.typeOf(token.substring(0, 10) + "-" + token.substring(11)));
        assertNull(TokenCodec.typeOf(token + "x"));
        assertNull(TokenCodec.typeOf(token.substring(0, token.length() - 1)));
    }

    @Test
    void prefixesAreNotConfused() {
        String session = TokenCodec.mint(TokenType.SESSION);
        assertEquals(TokenType.SESSION, TokenCodec.typeOf(session));
        assertFalse(TokenCodec.isValid(session, TokenType.PERSONAL));
        String node = TokenCodec.mint(TokenType.NODE);
        // The checksum covers only the random part, so a re-prefixed secret still parses, but it is
        // stored (and looked up) by the hash of the whole token, prefix included.
        String reprefixed = "al_" + node.substring(4);
        assertEquals(TokenType.PERSONAL, TokenCodec.typeOf(reprefixed));
        assertFalse(java.util.Arrays.equals(TokenCodec.hash(node), TokenCodec.hash(reprefixed)));
        assertEquals(TokenType.NODE, TokenCodec.typeOf(node));
    }

    @Test
    void hashIsSha256AndDiffersFromTheToken() throws Exception {
        String token = TokenCodec.mint(TokenType.PERSONAL);
        byte[] hash = TokenCodec.hash(token);
        assertEquals(32, hash.length);
        assertArrayEquals(java.security.MessageDigest.getInstance("SHA-256").digest(token.getBytes()), hash);
        assertNotEquals(token, new String(hash, java.nio.charset.StandardCharsets.ISO_8859_1));
    }
}
