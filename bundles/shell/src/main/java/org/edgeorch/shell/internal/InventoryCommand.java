package org.edgeorch.shell.internal;

import java.io.PrintStream;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Parsing;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.edgeorch.shell.EdgeCommand;
import org.edgeorch.shell.OptionsAnywhere;
import org.apache.karaf.shell.support.table.ShellTable;
import org.edgeorch.platform.PluginInfo;
import org.edgeorch.platform.PluginRegistry;
import org.edgeorch.platform.PluginReport;
import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.spi.OsInfo;
import org.edgeorch.spi.PluginKind;

@Service
@Parsing(OptionsAnywhere.class)
@Command(scope = "edge", name = "inventory",
        description = "Shows what a plugin reports; without an id, the primary hardware plugin")
public class InventoryCommand extends EdgeCommand {

    @Reference
    PluginRegistry registry;

    @Argument(index = 0, name = "plugin", description = "Plugin id (see edge:plugin-list)")
    @Completion(PluginIdCompleter.class)
    String pluginId;

    @Override
    protected void run() {
        Optional<PluginReport> report = pluginId != null ? registry.report(pluginId)
                : registry.plugins().stream().filter(p -> p.kind() == PluginKind.HARDWARE).findFirst()
                        .flatMap(p -> registry.report(p.id()));
        if (report.isEmpty()) {
            error(pluginId != null
                    ? "Error: no plugin '" + pluginId + "'; edge:plugin-list shows the ones present"
                    : "Error: no hardware plugin is present");
            return;
        }
        print(report.get(), System.out);
    }

    static void print(PluginReport r, PrintStream out) {
        PluginInfo p = r.plugin();
        out.printf("Plugin    %s (%s, %s %s)%n", p.id(), p.kind(), p.name(), p.version());
        if (r.error() != null) {
            out.println("Error     " + r.error());
        }
        if (r.os() != null) {
            OsInfo os = r.os();
            out.printf("OS        %s %s (%s)%n", os.name(), Format.orDash(os.version()), os.type());
            out.printf("Kernel    %s%n", Format.orDash(os.kernel()));
            out.printf("Slot      %s%n", Format.orDash(os.activeSlot()));
        }
        if (r.hardware() != null) {
            printHardware(r.hardware(), out);
        }
    }

    private static void printHardware(HardwareInventory hw, PrintStream out) {
        HardwareInventory.SystemInfo s = hw.system();
        out.printf("Host      %s%n", Format.orDash(s.hostname()));
        out.printf("System    %s %s, serial %s, uuid %s, BIOS %s%n", Format.orDash(s.vendor()),
                Format.orDash(s.product()), Format.orDash(s.serialNumber()), Format.orDash(s.uuid()),
                Format.orDash(s.biosVersion()));
        HardwareInventory.Cpu cpu = hw.cpu();
        out.printf("CPU       %s (%s), %d socket(s), %d core(s), %d thread(s)%n", Format.orDash(cpu.model()),
                Format.orDash(cpu.architecture()), cpu.sockets(), cpu.cores(), cpu.threads());
        out.printf("Memory    %s total, %s available%n", Format.bytes(hw.memory().totalBytes()),
                Format.bytes(hw.memory().availableBytes()));
        ShellTable disks = new ShellTable();
        for (String c : new String[] {"Disk", "Size", "Type", "Removable", "Model", "Serial"}) {
            disks.column(c);
        }
        hw.disks().forEach(d -> disks.addRow().addContent(d.name(), Format.bytes(d.sizeBytes()),
                d.rotational() ? "HDD" : "SSD", d.removable() ? "yes" : "no", Format.orDash(d.model()),
                Format.orDash(d.serialNumber())));
        disks.print(out);
        ShellTable nics = new ShellTable();
        for (String c : new String[] {"NIC", "MAC", "MTU", "Speed", "State"}) {
            nics.column(c);
        }
        hw.nics().forEach(n -> nics.addRow().addContent(n.name(), Format.orDash(n.macAddress()), n.mtu(),
                n.speedMbps() == null ? "-" : n.speedMbps() + " Mb/s", Format.orDash(n.operState())));
        nics.print(out);
        ShellTable usb = new ShellTable();
        for (String c : new String[] {"USB", "ID", "Manufacturer", "Product", "Serial", "Speed"}) {
            usb.column(c);
        }
        hw.usb().forEach(u -> usb.addRow().addContent(u.port(), Format.id(u.vendorId(), u.productId()),
                Format.orDash(u.manufacturer()), Format.orDash(u.product()), Format.orDash(u.serialNumber()),
                Format.mbps(u.speedMbps())));
        usb.print(out);
        ShellTable gpus = new ShellTable();
        for (String c : new String[] {"GPU", "ID", "Vendor", "Model", "Driver"}) {
            gpus.column(c);
        }
        hw.gpus().forEach(g -> gpus.addRow().addContent(Format.orDash(g.pciAddress()),
                Format.id(g.vendorId(), g.deviceId()), Format.orDash(g.vendor()), Format.orDash(g.model()),
                Format.orDash(g.driver())));
        gpus.print(out);
    }
}
