package dev.autolab.keys.binding;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.autolab.common.error.Errors;
import dev.autolab.keys.key.Names;
import dev.autolab.keys.key.Provider;

/** A pinned model is {@code provider/model} and must be served by the key's provider (OpenRouter serves any). */
public final class Models {
    private static final Pattern MODEL =
            Pattern.compile("^([a-z0-9][a-z0-9-]{0,31})/([A-Za-z0-9._:@+-]+(?:/[A-Za-z0-9._:@+-]+)*)$");

    private Models() {}

    /** The model, checked against the provider of the key it will run on; empty for "the provider's default". */
    public static String requireValid(String model, Provider keyProvider, String keyDescription) {
        if (model == null || model.isBlank()) {
            return "";
        }
        String m = model.trim();
        if (m.chars().anyMatch(Character::isISOControl)) {
            throw Errors.invalidArgument("a model cannot contain control characters");
        }
        Matcher parts = MODEL.matcher(m);
        if (m.length() > 200 || !parts.matches()) {
            throw Errors.invalidArgument("\"" + Names.printable(m) + "\" is not a model: write it as provider/model, "
                    + "e.g. openai/gpt-5.5");
        }
        Provider modelProvider = Provider.orNull(parts.group(1));
        if (keyProvider == Provider.OPENROUTER) {
            return m;
        }
        if (modelProvider == null) {
            throw Errors.invalidArgument("unknown provider \"" + parts.group(1) + "\" in model " + m + ": use one of "
                    + Provider.allNames());
        }
        if (!keyProvider.serves(modelProvider)) {
            throw Errors.invalidArgument("model " + m + " is from " + modelProvider.id() + ", but " + keyDescription
                    + " is for " + keyProvider.id() + ": pin " + article(keyProvider) + " " + keyProvider.id()
                    + "/... model, or use a key for " + modelProvider.id() + " or openrouter");
        }
        return m;
    }

    private static String article(Provider p) {
        return "aeiou".indexOf(p.id().charAt(0)) >= 0 ? "an" : "a";
    }
}
