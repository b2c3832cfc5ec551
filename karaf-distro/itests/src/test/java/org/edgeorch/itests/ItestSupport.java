package org.edgeorch.itests;

import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.BundleContext;

/**
 * Boots one of the project's own distributions (not a stock Karaf) and gives tests the shell, HTTP and
 * polling helpers they share. The {@code config()} methods run in the test JVM; everything else runs
 * inside the booted runtime.
 */
public abstract class ItestSupport {

    protected static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected SessionFactory sessionFactory;

    /**
     * The distribution built by this reactor, unpacked under target/exam, with test ports and the
     * local Maven repository (for Pax Exam's own probe bundles only).
     */
    protected static Option distribution(String name, int httpPort, int sshPort, int rmiBase) {
        String archive = System.getProperty("edge." + name + ".distribution");
        File file = new File(archive);
        if (!file.isFile()) {
            throw new IllegalStateException(archive + " is missing: build the distributions first (mvn install)");
        }
        String repo = System.getProperty("edge.local.repository");
        return composite(
                karafDistributionConfiguration()
                        .frameworkUrl(file.toURI().toString())
                        .name("edge-" + name)
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole(),
                keepRuntimeFolder(),
                logLevel(LogLevel.INFO),
                // Java 17 needs what bin/karaf passes, or OsgiLocator is not found.
                vmOptions("--add-reads=java.xml=java.logging",
                        "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                        "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-4.4.10.jar",
                        "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-4.4.10.jar",
                        "--add-opens", "java.base/java.security=ALL-UNNAMED",
                        "--add-opens", "java.base/java.net=ALL-UNNAMED",
                        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                        "--add-opens", "java.base/java.util=ALL-UNNAMED",
                        "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
                        "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                        "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
                        "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                        "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                        "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
                        "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED"),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", repo),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.defaultRepositories",
                        "file:${karaf.home}/${karaf.default.repository}@id=system.repository@snapshots,"
                                + "file:" + repo + "@id=local@snapshots"),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(httpPort)),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(sshPort)),
                // any free port unless a test names one: a benchmark's orchestrator may hold 8443
                editConfigurationFilePut("etc/org.edgeorch.southbound.cfg", "port", "0"),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(rmiBase)),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(rmiBase + 1)),
                systemProperty("edge.version").value(System.getProperty("edge.version")),
                systemProperty("edge.schema.version").value(latestMigration()),
                systemProperty("edge.it.httpPort").value(String.valueOf(httpPort)),
                systemProperty("edge.it.sshPort").value(String.valueOf(sshPort)),
                systemProperty("edge.simulated.jar").value(System.getProperty("edge.simulated.jar")),
                systemProperty("edge.node.distribution").value(System.getProperty("edge.node.distribution")),
                systemProperty("edge.it.work").value(System.getProperty("edge.it.work")));
    }

    /** The newest schema migration of the store bundle, which a migrated database must report. */
    static String latestMigration() {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("../../bundles/store/src/main/resources/db/migration"))) {
            return String.valueOf(files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- shell --------------------------------------------------------------------------------

    /**
     * Runs a command in a console session as the runtime's administrator (user {@code admin} with
     * Karaf's admin roles, as the local console has); returns what it printed (out and err).
     */
    protected String shell(String command) {
        return shellAs(command, new org.apache.karaf.jaas.boot.principal.UserPrincipal("admin"),
                new org.apache.karaf.jaas.boot.principal.RolePrincipal("admin"),
                new org.apache.karaf.jaas.boot.principal.RolePrincipal("manager"),
                new org.apache.karaf.jaas.boot.principal.RolePrincipal("viewer"),
                new org.apache.karaf.jaas.boot.principal.RolePrincipal("systembundles"));
    }

    /**
     * Runs a command in a console session whose subject has these principals; the session is created
     * under that subject too, since Karaf decides which commands a session sees when it is created.
     */
    protected String shellAs(String command, java.security.Principal... principals) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        javax.security.auth.Subject subject = new javax.security.auth.Subject();
        subject.getPrincipals().addAll(java.util.Arrays.asList(principals));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Object> result = executor.submit(() -> javax.security.auth.Subject.doAs(subject,
                    (java.security.PrivilegedExceptionAction<Object>) () -> {
                        Session session = sessionFactory.create(System.in, out, out);
                        try {
                            return session.execute(command);
                        } finally {
                            session.close();
                        }
                    }));
            result.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            out.println("EXCEPTION: " + e);
        } finally {
            executor.shutdownNow();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The commands a session of the runtime's administrator sees (Karaf lists a session's commands by its roles). */
    protected List<org.apache.karaf.shell.api.console.Command> commandsOfTheAdministrator() throws Exception {
        javax.security.auth.Subject subject = new javax.security.auth.Subject();
        subject.getPrincipals().addAll(List.of(new org.apache.karaf.jaas.boot.principal.UserPrincipal("admin"),
                new org.apache.karaf.jaas.boot.principal.RolePrincipal("admin"),
                new org.apache.karaf.jaas.boot.principal.RolePrincipal("manager"),
                new org.apache.karaf.jaas.boot.principal.RolePrincipal("viewer")));
        return javax.security.auth.Subject.doAs(subject,
                (java.security.PrivilegedExceptionAction<List<org.apache.karaf.shell.api.console.Command>>) () -> {
                    java.io.PrintStream sink = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
                    org.apache.karaf.shell.api.console.Session session = sessionFactory.create(
                            new java.io.ByteArrayInputStream(new byte[0]), sink, sink);
                    try {
                        return new ArrayList<>(session.getRegistry().getCommands());
                    } finally {
                        session.close();
                    }
                });
    }

    /** Null when a shell answer is one short error line that names no class; else what is wrong with it. */
    protected static String shellAnswerProblem(String answer, boolean mustFail) {
        boolean failure = answer.startsWith("Error") || answer.contains("Exception") || answer.contains("\tat ");
        if (!mustFail && !failure) {
            return null;
        }
        if (!answer.startsWith("Error: ")) {
            return "not an Error: line";
        }
        if (answer.lines().count() != 1) {
            return answer.lines().count() + " lines";
        }
        if (answer.length() > 500) {
            return answer.length() + " characters";
        }
        if (answer.contains("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")
                || answer.contains("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")) {
            return "echoes a long input";
        }
        if (answer.matches("(?s).*[\\u0000-\\u0008\\u000b-\\u001f\\u007f].*")) {
            return "holds a control character";
        }
        if (answer.matches("(?s).*\\b(java|javax|org\\.apache|org\\.edgeorch)(\\.[a-z0-9_]+)*\\.[A-Z].*") || answer.contains("Exception")
                || answer.contains("failed unexpectedly")) {
            return "names a class or failed unexpectedly";
        }
        return null;
    }

    /**
     * Runs the runtime's own {@code bin/client} with these arguments and its standard input closed, as a script or
     * CI job would; returns what it printed (out and err) and its exit status on the last line.
     */
    protected static String binClient(String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("sh", "bin/client"));
        command.addAll(java.util.List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(new java.io.File(System.getProperty("karaf.home")))
                .redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("EXTRA_JAVA_OPTS");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8) + "\nexit " + process.exitValue();
    }

    // ---- waiting ------------------------------------------------------------------------------

    /** Polls until {@code condition} holds; fails with the last observation otherwise. */
    protected static void await(String what, Duration timeout, Callable<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
                last = null;
            } catch (Exception | AssertionError e) {
                last = e;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        fail("timed out after " + timeout.toSeconds() + " s waiting for " + what + (last == null ? "" : ": " + last));
    }

}
