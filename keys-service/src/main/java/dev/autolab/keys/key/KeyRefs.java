package dev.autolab.keys.key;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.autolab.common.error.Errors;

/** Picks the one key a reference (a name, or an id prefix of 4+ hex characters) means. */
public final class KeyRefs {
    private static final Pattern ID_PREFIX = Pattern.compile("^[0-9a-fA-F-]{4,36}$");

    private KeyRefs() {}

    public static void requireGiven(String ref, String what) {
        if (ref == null || ref.isBlank()) {
            throw Errors.invalidArgument("name the key to " + what + ", by name or id prefix (see `autolab keys`)");
        }
        if (ref.chars().anyMatch(Character::isISOControl)) {
            throw Errors.invalidArgument("a key reference cannot contain control characters");
        }
    }

    /**
     * Of the caller's keys that matched {@code ref} by name or id prefix, the one it means. Another
     * user's key never matches, so it is NOT_FOUND like a key that does not exist.
     */
    public static ProviderKey pick(String ref, List<ProviderKey> matches) {
        List<ProviderKey> byName =
                matches.stream().filter(k -> k.name().equals(ref)).toList();
        if (byName.size() == 1) {
            return byName.get(0);
        }
        boolean idLike = ID_PREFIX.matcher(ref).matches();
        List<ProviderKey> byId = idLike
                ? matches.stream()
                        .filter(k -> k.id().toString().startsWith(ref.toLowerCase(java.util.Locale.ROOT)))
                        .toList()
                : List.of();
        if (byId.size() == 1) {
            return byId.get(0);
        }
        if (byId.isEmpty()) {
            String hint = ref.length() < 4 && ID_PREFIX.matcher(ref + "0000").matches()
                    ? " (an id prefix needs at least 4 characters)"
                    : "";
            throw Errors.notFound("you have no key named or with an id starting with \"" + Names.printable(ref) + "\""
                    + hint + "; see `autolab keys`");
        }
        throw Errors.invalidArgument("\"" + ref + "\" matches " + byId.size() + " keys: "
                + byId.stream().map(k -> k.shortId() + " (" + k.name() + ")").collect(Collectors.joining(", "))
                + "; give more of the id, or the name");
    }
}
