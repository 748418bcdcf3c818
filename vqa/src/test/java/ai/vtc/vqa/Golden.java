package ai.vtc.vqa;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The golden set in the test resources (a copy of the official-code fixtures). */
final class Golden {
    private Golden() {}

    static InputStream open(String name) {
        InputStream in = Golden.class.getResourceAsStream("/vqa-eval-golden/" + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        return in;
    }

    static Path path(String name) {
        try {
            return Path.of(Golden.class.getResource("/vqa-eval-golden/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
