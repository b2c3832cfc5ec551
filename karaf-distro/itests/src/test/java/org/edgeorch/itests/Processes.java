package org.edgeorch.itests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** What the tests that run distributions as processes share: cutting a process tree's power, and waiting. */
final class Processes {

    private Processes() {
    }

    /** Kills the process and everything it started at once, as a power cut would, and waits until they are gone. */
    static void killTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : tree) {
            h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> null).join();
        }
    }

    /** Polls the condition every 250 ms; an exception counts as not yet and is reported on timeout. */
    static void await(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                + (last == null ? "" : ": " + last));
    }
}
