package dev.autolab.keys.key;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.autolab.common.error.Errors;

/** The LLM providers a key can be stored for (DESIGN §4). */
public enum Provider {
    ANTHROPIC("Anthropic"),
    OPENAI("OpenAI"),
    GOOGLE("Google"),
    OPENROUTER("OpenRouter"),
    XAI("xAI"),
    DEEPSEEK("DeepSeek"),
    MINIMAX("MiniMax"),
    MOONSHOT("Moonshot AI"),
    GLM("GLM (Zhipu AI)"),
    QWEN("Qwen (Alibaba)");

    private final String displayName;

    Provider(String displayName) {
        this.displayName = displayName;
    }

    /** The name users type and the API uses, e.g. {@code anthropic}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String displayName() {
        return displayName;
    }

    /** Whether a key of this provider may serve models of {@code other} (OpenRouter routes to any). */
    public boolean serves(Provider other) {
        return this == OPENROUTER || this == other;
    }

    public static String allNames() {
        return Arrays.stream(values()).map(Provider::id).collect(Collectors.joining(", "));
    }

    public static Provider orNull(String name) {
        if (name == null) {
            return null;
        }
        for (Provider p : values()) {
            if (p.id().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        return null;
    }

    /** The provider named, or INVALID_ARGUMENT listing the ten. */
    public static Provider parse(String name) {
        if (name == null || name.isBlank()) {
            throw Errors.invalidArgument("name the provider (--provider): one of " + allNames());
        }
        Provider p = orNull(name);
        if (p == null) {
            throw Errors.invalidArgument(
                    "unknown provider \"" + Names.printable(name) + "\": use one of " + allNames());
        }
        return p;
    }
}
