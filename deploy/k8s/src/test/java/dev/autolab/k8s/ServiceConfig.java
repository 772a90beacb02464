package dev.autolab.k8s;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A service's own application.properties, for what the manifests must agree with. */
record ServiceConfig(String service, Properties properties) {
    private static final Pattern ENV_WITH_DEFAULT = Pattern.compile("\\$\\{([A-Z0-9_]+):([^}]*)}");

    static ServiceConfig of(String service) {
        Path file = Rendering.REPO.resolve(service).resolve("src/main/resources/application.properties");
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ServiceConfig(service, p);
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(properties.getProperty(key)).map(String::strip);
    }

    /** For {@code ${ENV:default}}: the environment variable that sets the property. */
    Optional<String> envName(String key) {
        return get(key).map(ENV_WITH_DEFAULT::matcher).filter(Matcher::matches).map(m -> m.group(1));
    }

    /** The value without any environment: the literal, or the default of {@code ${ENV:default}}. */
    Optional<String> defaultValue(String key) {
        return get(key).map(v -> {
            Matcher m = ENV_WITH_DEFAULT.matcher(v);
            return m.matches() ? m.group(2) : v;
        });
    }
}
