package org.edgeorch.plugin.linux.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The fixture host tree in src/test/resources/fixture-host, and writable copies of it. */
final class Fixtures {

    private Fixtures() {
    }

    static Path host() {
        URL url = Fixtures.class.getResource("/fixture-host");
        if (url == null) {
            throw new IllegalStateException("fixture-host is missing from the test class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies the fixture host into {@code target} so a test can change it. */
    static Path copyHostTo(Path target) throws IOException {
        Path source = host();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(source)) {
            paths = walk.toList();
        }
        for (Path path : paths) {
            Path copy = target.resolve(source.relativize(path).toString());
            try {
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return target;
    }
}
