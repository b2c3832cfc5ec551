package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.edgeorch.platform.PluginInfo;
import org.edgeorch.platform.PluginRegistry;
import org.edgeorch.platform.StatusService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

import javax.inject.Inject;

/** The trimmed node runtime: the same plugins and shell commands, without CXF, Camel or a web server. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NodeIT extends ItestSupport {

    @Inject
    PluginRegistry plugins;

    @Inject
    StatusService status;

    @Configuration
    public Option[] config() {
        return options(distribution("node", 18183, 18103, 11299));
    }

    @Test
    public void nodeIsTrimmed() {
        List<String> unwanted = new ArrayList<>();
        for (Bundle b : bundleContext.getBundles()) {
            String name = b.getSymbolicName();
            if (name.startsWith("org.apache.cxf") || name.contains("camel") || name.startsWith("org.ops4j.pax.web")
                    || name.contains("derby") || name.startsWith("org.edgeorch.store")
                    || name.startsWith("org.edgeorch.rest") || name.startsWith("org.edgeorch.soap")
                    || name.startsWith("org.eclipse.jetty")) {
                unwanted.add(name);
            }
        }
        assertEquals(List.of(), unwanted);
    }

    @Test
    public void statusAndPluginsFromTheShell() {
        assertEquals("node", status.status().runtime());
        assertTrue(status.status().components().isEmpty());
        String out = shell("edge:status");
        assertTrue(out, out.contains("(node)"));
        String list = shell("edge:plugin-list");
        assertTrue(list, list.contains("linux ") && list.contains("linux-os"));
        String inventory = shell("edge:inventory");
        assertTrue(inventory, inventory.contains(Runtime.getRuntime().availableProcessors() + " thread(s)"));
        // the agent is there, idle until it is given an orchestrator
        String agent = shell("edge:agent-status");
        assertTrue(agent, agent.contains("not configured"));
        // the A/B update agent and both OS plugins are installed, inert until an OS plugin is configured
        for (String name : List.of("org.edgeorch.agent.update", "org.edgeorch.plugin.grub", "org.edgeorch.plugin.uboot")) {
            assertTrue(name, java.util.Arrays.stream(bundleContext.getBundles())
                    .anyMatch(b -> b.getSymbolicName().equals(name) && b.getState() == Bundle.ACTIVE));
        }
        // the app agent and the container runtime are there; without an orchestrator, no desired apps yet
        String apps = shell("edge:app-status");
        assertTrue(apps, apps.contains("Runtime     CONTAINER (podman): ") && apps.contains("Desired     not received yet"));
        String update = shell("edge:update-status");
        assertTrue(update, update.contains("No update agent: this node has no A/B OS plugin configured"));
    }

    /** The node's local shell: SSH on the loopback only, and bin/client runs a command with the account it made. */
    @Test
    public void localShellOverLoopbackSshAndBinClient() throws Exception {
        org.osgi.service.cm.ConfigurationAdmin config = bundleContext.getService(
                bundleContext.getServiceReference(org.osgi.service.cm.ConfigurationAdmin.class));
        assertEquals("127.0.0.1", config.getConfiguration("org.apache.karaf.shell", null).getProperties().get("sshHost"));
        int port = Integer.getInteger("edge.it.sshPort");
        await("SSH on " + port, Duration.ofSeconds(60), () -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return true;
            }
        });
        String status = binClient("-a", String.valueOf(port), "edge:status");
        assertTrue(status, status.contains("(node)") && status.endsWith("exit 0"));
        String plugins = binClient("-a", String.valueOf(port), "edge:plugin-list --kind os");
        assertTrue(plugins, plugins.contains("linux-os") && !plugins.contains("HARDWARE"));
        Path users = Path.of(System.getProperty("karaf.base"), "etc", "users.properties");
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(users));
    }

    /**
     * Every {@code edge:*} command of the node, through its own {@code bin/client}, with an unknown overlong option
     * and (where it takes numbers) a word for a number: one short {@code Error:} line and a failure status each.
     */
    @Test
    public void everyNodeCommandAnswersAMistakeWithOneShortLine() throws Exception {
        int port = Integer.getInteger("edge.it.sshPort");
        await("SSH on " + port, Duration.ofSeconds(60), () -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return true;
            }
        });
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (org.apache.karaf.shell.api.console.Command c : commandsOfTheAdministrator()) {
            if (!"edge".equals(c.getScope())) {
                continue;
            }
            String name = "edge:" + c.getName();
            lines.add(name + " --no-such-option-" + "x".repeat(3_000));
            Class<?> action = (Class<?>) c.getClass().getMethod("getActionClass").invoke(c);
            for (Class<?> type = action; type != null; type = type.getSuperclass()) {
                for (java.lang.reflect.Field f : type.getDeclaredFields()) {
                    org.apache.karaf.shell.api.action.Option o = f.getAnnotation(org.apache.karaf.shell.api.action.Option.class);
                    if (o != null && (f.getType() == int.class || f.getType() == long.class || f.getType() == Integer.class)) {
                        lines.add(name + " " + o.name() + " ten");
                    }
                }
            }
        }
        assertTrue(lines.toString(), lines.stream().anyMatch(l -> l.startsWith("edge:app-status "))
                && lines.stream().anyMatch(l -> l.startsWith("edge:update-status --watch ten")));
        java.util.List<String> wrong = new java.util.ArrayList<>();
        for (String line : lines) {
            String out = binClient("-a", String.valueOf(port), line).strip();
            String answer = out.substring(0, out.lastIndexOf("exit ")).strip();
            String problem = out.endsWith("exit 0") ? "exit 0" : shellAnswerProblem(answer, true);
            System.out.println("node shell: " + (line.length() > 60 ? line.substring(0, 60) + "..." : line) + " -> " + out.replace('\n', '|'));
            if (problem != null) {
                wrong.add((line.length() > 80 ? line.substring(0, 80) + "..." : line) + " -> " + problem + ": "
                        + (out.length() > 300 ? out.substring(0, 300) + "..." : out));
            }
        }
        assertEquals(String.join("\n", wrong), 0, wrong.size());
    }

    @Test
    public void pluginDroppedIntoDeployAppearsAndDisappearsLive() throws Exception {
        Path jar = Path.of(System.getProperty("edge.simulated.jar"));
        Path deployed = Path.of(System.getProperty("karaf.base"), "deploy", jar.getFileName().toString());
        Files.copy(jar, deployed, StandardCopyOption.REPLACE_EXISTING);
        try {
            await("simulated plugin on the node", Duration.ofSeconds(30),
                    () -> plugins.plugins().stream().map(PluginInfo::id).anyMatch("simulated"::equals));
            assertTrue(shell("edge:plugin-list").contains("simulated"));
            assertTrue(shell("edge:inventory simulated").contains("SIM-"));
        } finally {
            Files.delete(deployed);
        }
        await("simulated plugin gone from the node", Duration.ofSeconds(30),
                () -> plugins.plugins().stream().map(PluginInfo::id).noneMatch("simulated"::equals));
        assertFalse(shell("edge:plugin-list").contains("simulated"));
    }
}
