package org.edgeorch.orchestrator.shell.internal;

import static org.edgeorch.shell.EdgeCommand.orDash;
import static org.edgeorch.shell.EdgeCommand.table;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.fleet.Fleet;
import org.edgeorch.fleet.Onboarding;
import org.edgeorch.fleet.OnboardingService;
import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.tenancy.Caller;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.shell.EdgeCommand;
import org.edgeorch.shell.OptionsAnywhere;

/** Enrolment tokens, invalidating and deleting hosts, and what hosts reported. */
public final class OnboardingCommands {

    private OnboardingCommands() {
    }

    /** A token's validity: {@code 30m}, {@code 12h}, {@code 7d}, or ISO-8601 such as {@code P7D} or {@code PT12H}. */
    static Duration validity(String text) {
        return EdgeCommand.duration("--validity", text);
    }

    public abstract static class OnboardingCommand extends TenancyCommand {
        @Reference
        OnboardingService onboarding;
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "enrolment-token-create",
            description = "Makes a token nodes enrol with; its secret is shown only now")
    public static class TokenCreate extends OnboardingCommand {
        @Option(name = "--site", description = "the site hosts enrolled with this token join")
        String site;

        @Option(name = "--validity", description = "how long it may be used: 30m, 12h, 7d or ISO-8601 like P7D (default 7d)")
        String validity = "7d";

        @Option(name = "--max-uses", description = "how many enrolments it allows, 1 to 1000000 (default: no limit)")
        Integer maxUses;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            Onboarding.IssuedToken issued = onboarding.createEnrolmentToken(caller, project, name, site, validity(validity),
                    maxUses);
            Onboarding.EnrolmentToken t = issued.token();
            System.out.println("Enrolment token " + t.name() + (t.site() == null ? "" : " (site " + t.site() + ")")
                    + ", expires " + t.expiresAt() + (t.maxUses() == null ? "" : ", " + t.maxUses() + " use(s)")
                    + "; the secret is shown only now:");
            System.out.println(issued.secret());
            System.out.println("Nodes must pin the certificate authority's SHA-256 fingerprint:");
            System.out.println(onboarding.certificateAuthority().sha256Fingerprint());
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "enrolment-token-list", description = "Lists a project's enrolment tokens")
    public static class TokenList extends OnboardingCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Override
        protected void run(Caller caller) {
            ShellTable t = new ShellTable();
            for (String c : new String[] {"Token", "Site", "Expires", "Uses", "Created by", "Created", "Revoked"}) {
                t.column(c);
            }
            for (Onboarding.EnrolmentToken e : onboarding.enrolmentTokens(caller, project)) {
                t.addRow().addContent(e.name(), orDash(e.site()), e.expiresAt(),
                        e.uses() + (e.maxUses() == null ? "" : "/" + e.maxUses()), e.createdBy(), e.createdAt(),
                        orDash(e.revokedAt()));
            }
            t.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "enrolment-token-revoke",
            description = "Refuses an enrolment token from now on; hosts it enrolled keep their certificates")
    public static class TokenRevoke extends OnboardingCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "name", required = true)
        String name;

        @Override
        protected void run(Caller caller) {
            onboarding.revokeEnrolmentToken(caller, project, name);
            System.out.println("Revoked enrolment token " + name);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "host-invalidate",
            description = "Marks a host INVALIDATED and revokes its certificates; its next call is refused")
    public static class HostInvalidate extends OnboardingCommand {
        @Option(name = "--reason")
        String reason;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "host", required = true)
        String host;

        @Override
        protected void run(Caller caller) {
            Fleet.Host h = onboarding.invalidateHost(caller, project, host, reason);
            System.out.println("Invalidated host " + h.name() + " (" + h.status() + "); its certificates are revoked");
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "host-delete",
            description = "Deletes a host with its inventory and reports; its certificates stay on record as revoked")
    public static class HostDelete extends OnboardingCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "host", required = true)
        String host;

        @Override
        protected void run(Caller caller) {
            onboarding.deleteHost(caller, project, host);
            System.out.println("Deleted host " + host);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "host-certificates", description = "Lists the certificates issued to a host")
    public static class HostCertificates extends OnboardingCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "host", required = true)
        String host;

        @Override
        protected void run(Caller caller) {
            ShellTable t = new ShellTable();
            for (String c : new String[] {"Serial", "Not before", "Not after", "Revoked", "Reason"}) {
                t.column(c);
            }
            for (Onboarding.HostCertificate c : onboarding.certificates(caller, project, host)) {
                t.addRow().addContent(c.serial(), c.notBefore(), c.notAfter(), orDash(c.revokedAt()),
                        orDash(c.revocationReason()));
            }
            t.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "host-inventory", description = "Shows the hardware a host last reported")
    public static class HostInventory extends OnboardingCommand {
        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "host", required = true)
        String host;

        @Override
        protected void run(Caller caller) {
            Onboarding.Inventory i = onboarding.inventory(caller, project, host);
            System.out.println("Reported  " + i.reportedAt() + " (sha256 " + i.sha256() + ")");
            print(i.inventory(), System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "host-inventory-changes", description = "Lists changes of a host's inventory, newest first")
    public static class HostInventoryChanges extends OnboardingCommand {
        @Option(name = "--offset")
        int offset;

        @Option(name = "--limit")
        int limit = 50;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "host", required = true)
        String host;

        @Override
        protected void run(Caller caller) {
            ShellTable t = new ShellTable();
            for (String c : new String[] {"Id", "Changed", "Sections", "Summary"}) {
                t.column(c);
            }
            for (Onboarding.InventoryChange c : onboarding.inventoryChanges(caller, project, host, offset, limit)) {
                t.addRow().addContent(c.id(), c.changedAt(), String.join(", ", c.sections()), c.summary());
            }
            t.print(System.out);
        }
    }

    @Service
    @Parsing(OptionsAnywhere.class)
    @Command(scope = "edge", name = "host-reports", description = "Lists what a host's agent reported, newest first")
    public static class HostReports extends OnboardingCommand {
        @Option(name = "--offset")
        int offset;

        @Option(name = "--limit")
        int limit = 50;

        @Argument(index = 0, name = "project", required = true)
        String project;

        @Argument(index = 1, name = "host", required = true)
        String host;

        @Override
        protected void run(Caller caller) {
            ShellTable t = new ShellTable();
            for (String c : new String[] {"Seq", "Occurred", "Received", "Kind", "Detail"}) {
                t.column(c);
            }
            for (Onboarding.HostReport r : onboarding.reports(caller, project, host, offset, limit)) {
                t.addRow().addContent(r.sequence(), r.occurredAt(), r.receivedAt(), r.kind(), orDash(r.detail()));
            }
            t.print(System.out);
        }
    }

    /** The inventory as edge:inventory prints a plugin's (that command's formatting is private to its bundle). */
    static void print(HardwareInventory hw, PrintStream out) {
        HardwareInventory.SystemInfo s = hw.system();
        out.printf("Host      %s%n", orDash(s.hostname()));
        out.printf("System    %s %s, serial %s, uuid %s, BIOS %s%n", orDash(s.vendor()), orDash(s.product()),
                orDash(s.serialNumber()), orDash(s.uuid()), orDash(s.biosVersion()));
        HardwareInventory.Cpu cpu = hw.cpu();
        out.printf("CPU       %s (%s), %d socket(s), %d core(s), %d thread(s)%n", orDash(cpu.model()),
                orDash(cpu.architecture()), cpu.sockets(), cpu.cores(), cpu.threads());
        out.printf("Memory    %s total, %s available%n", bytes(hw.memory().totalBytes()), bytes(hw.memory().availableBytes()));
        ShellTable disks = table("Disk", "Size", "Type", "Removable", "Model", "Serial");
        hw.disks().forEach(d -> disks.addRow().addContent(d.name(), bytes(d.sizeBytes()), d.rotational() ? "HDD" : "SSD",
                d.removable() ? "yes" : "no", orDash(d.model()), orDash(d.serialNumber())));
        disks.print(out);
        ShellTable nics = table("NIC", "MAC", "MTU", "Speed", "State");
        hw.nics().forEach(n -> nics.addRow().addContent(n.name(), orDash(n.macAddress()), n.mtu(),
                n.speedMbps() == null ? "-" : n.speedMbps() + " Mb/s", orDash(n.operState())));
        nics.print(out);
        ShellTable usb = table("USB", "ID", "Manufacturer", "Product", "Serial", "Speed");
        hw.usb().forEach(u -> usb.addRow().addContent(u.port(), id(u.vendorId(), u.productId()), orDash(u.manufacturer()),
                orDash(u.product()), orDash(u.serialNumber()),
                u.speedMbps() == null ? "-" : BigDecimal.valueOf(u.speedMbps()).stripTrailingZeros().toPlainString() + " Mb/s"));
        usb.print(out);
        ShellTable gpus = table("GPU", "ID", "Vendor", "Model", "Driver");
        hw.gpus().forEach(g -> gpus.addRow().addContent(orDash(g.pciAddress()), id(g.vendorId(), g.deviceId()),
                orDash(g.vendor()), orDash(g.model()), orDash(g.driver())));
        gpus.print(out);
    }


    static String bytes(long bytes) {
        if (bytes <= 0) {
            return "-";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static String id(String vendorId, String productId) {
        return vendorId == null && productId == null ? "-" : orDash(vendorId) + ":" + orDash(productId);
    }

}
