package org.edgeorch.agent.internal;

/** The orchestrator answered with a southbound error (4xx/5xx and its code). */
public final class Refused extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public Refused(int status, String code, String message) {
        super(status + " " + code + ": " + message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
