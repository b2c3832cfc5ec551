package org.edgeorch.southbound.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.security.cert.X509Certificate;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.edgeorch.fleet.SouthboundException;
import org.edgeorch.platform.Inputs;
import org.edgeorch.fleet.SouthboundService;
import org.edgeorch.release.ImageDelivery;
import org.edgeorch.release.ImageDelivery.CachedImage;
import org.edgeorch.fleet.SouthboundService.HostIdentity;
import org.edgeorch.fleet.SouthboundService.SyncResult;
import org.edgeorch.spi.southbound.EnrolRequest;
import org.edgeorch.spi.southbound.RenewRequest;
import org.edgeorch.spi.southbound.Southbound;
import org.edgeorch.spi.southbound.SouthboundError;
import org.edgeorch.spi.southbound.SyncRequest;
import org.edgeorch.store.DataAccessException;
import org.eclipse.jetty.server.HttpOutput;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.edgeorch.observability.Instruments;
import org.edgeorch.observability.TelemetryService;
import org.edgeorch.tenancy.TenancyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.edgeorch.http.ClientLimits;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Routes the three southbound calls to the fleet. Bodies are JSON, at most {@code maxBodyBytes}; every
 * refusal is a {@link SouthboundError} with a 4xx status, and nothing is changed by a refused call.
 */
final class SouthboundHandler extends AbstractHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SouthboundHandler.class);
    private static final String CERTIFICATES = "javax.servlet.request.X509Certificate";
    private static final String JSON = "application/json";
    /** How much of an image is mapped at once while it is sent. */
    private static final long WINDOW_BYTES = 16 << 20;

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final SouthboundService fleet;
    private final Supplier<ImageDelivery> images;
    private final Supplier<Instruments> instruments;
    private final Supplier<TelemetryService> telemetry;
    private final ObjectMapper json;
    private final int maxBodyBytes;

    SouthboundHandler(SouthboundService fleet, Supplier<ImageDelivery> images, Supplier<Instruments> instruments,
                      Supplier<TelemetryService> telemetry, ObjectMapper json, int maxBodyBytes) {
        this.telemetry = telemetry;
        this.fleet = fleet;
        this.images = images;
        this.instruments = instruments;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        long start = System.nanoTime();
        try {
            route(target, base, request, response);
        } finally {
            Instruments to = instruments.get();
            if (to != null) {
                to.southboundCall(call(target), response.getStatus(), System.nanoTime() - start);
            }
        }
    }

    /** The call's name for metrics: one of a fixed few whatever the path. */
    static String call(String target) {
        if (target.startsWith(Southbound.IMAGES)) {
            return "image";
        }
        return switch (target) {
            case Southbound.ENROL -> "enrol";
            case Southbound.RENEW -> "renew";
            case Southbound.SYNC -> "sync";
            default -> "other";
        };
    }

    private void route(String target, Request base, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        base.setHandled(true);
        String source = request.getRemoteAddr();
        try {
            if (target.startsWith(Southbound.IMAGES)) {
                image(target.substring(Southbound.IMAGES.length()), request, response, source);
                return;
            }
            if (!target.equals(Southbound.ENROL) && !target.equals(Southbound.RENEW) && !target.equals(Southbound.SYNC)) {
                throw new SouthboundException(404, "NOT_FOUND", "no southbound call at " + target);
            }
            if (!"POST".equals(request.getMethod())) {
                response.setHeader("Allow", "POST");
                throw new SouthboundException(405, "METHOD_NOT_ALLOWED", target + " takes POST only");
            }
            String type = request.getContentType();
            if (type == null || !type.toLowerCase().startsWith(JSON)) {
                throw new SouthboundException(415, "UNSUPPORTED_MEDIA_TYPE", "the body must be " + JSON);
            }
            byte[] body = body(request, response);
            switch (target) {
                case Southbound.ENROL -> write(response, 200, fleet.enrol(parse(body, EnrolRequest.class), source));
                case Southbound.RENEW -> {
                    HostIdentity host = fleet.authenticate(certificate(request), source);
                    write(response, 200, fleet.renew(host, parse(body, RenewRequest.class), source));
                }
                default -> {
                    HostIdentity host = fleet.authenticate(certificate(request), source);
                    SyncRequest sync = parse(body, SyncRequest.class);
                    TelemetryService keeper = telemetry.get();
                    if (keeper != null && sync.telemetry() != null) {
                        try {
                            keeper.ingest(host.projectId(), host.hostId(), sync.telemetry());
                        } catch (TenancyException e) {
                            throw new SouthboundException(400, "INVALID", e.getMessage());
                        }
                        response.setHeader(Southbound.TELEMETRY_HEADER, Integer.toString(sync.telemetry().size()));
                    }
                    SyncResult result = fleet.sync(host, sync);
                    response.setHeader(Southbound.ACKED_HEADER, Long.toString(result.ackedSequence()));
                    if (result.inventorySha256() != null) {
                        response.setHeader(Southbound.INVENTORY_HEADER, result.inventorySha256());
                    }
                    if (result.nextSyncSeconds() > 0) {
                        response.setHeader(Southbound.NEXT_SYNC_HEADER, Integer.toString(result.nextSyncSeconds()));
                    }
                    response.setHeader("ETag", result.etag());
                    if (result.etag().equals(request.getHeader("If-None-Match"))) {
                        response.setStatus(304);
                    } else {
                        write(response, 200, result.desired());
                    }
                }
            }
        } catch (SouthboundException e) {
            write(response, e.status(), new SouthboundError(e.status(), e.code(), e.getMessage()));
        } catch (DataAccessException e) {
            LOG.warn("Southbound call {} from {} failed on the database: {}", target, source, e.toString());
            response.setHeader("Retry-After", "5");
            write(response, 503, new SouthboundError(503, "UNAVAILABLE", "the orchestrator cannot reach its database; retry later"));
        } catch (RuntimeException e) {
            LOG.error("Southbound call {} from {} failed", target, source, e);
            write(response, 500, new SouthboundError(500, "INTERNAL", "the orchestrator failed; see its log"));
        }
    }

    /**
     * Serves an image the host's project is offered: whole (200) or one byte range (206), as HTTP Range asks;
     * a range past the end is 416. Multiple ranges are answered whole, which RFC 9110 allows.
     */
    private void image(String digest, HttpServletRequest request, HttpServletResponse response, String source)
            throws IOException {
        boolean head = "HEAD".equals(request.getMethod());
        if (!head && !"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET, HEAD");
            throw new SouthboundException(405, "METHOD_NOT_ALLOWED", "images take GET or HEAD");
        }
        HostIdentity host = fleet.authenticate(certificate(request), source);
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new SouthboundException(400, "INVALID", "'" + digest + "' is not an image digest (sha256:<64 hex digits>)");
        }
        ImageDelivery delivery = images.get();
        if (delivery == null) {
            throw new SouthboundException(404, "NOT_FOUND", "this orchestrator has no release service");
        }
        CachedImage image;
        try {
            image = delivery.image(host.projectId(), digest).orElseThrow(() -> new SouthboundException(404, "IMAGE_NOT_FOUND",
                    "no OS resource of this host's project has the image " + digest));
        } catch (UncheckedIOException e) {
            LOG.warn("Image {} for {} could not be fetched: {}", digest, host.hostName(), e.getMessage());
            response.setHeader("Retry-After", "30");
            throw new SouthboundException(503, "IMAGE_UNAVAILABLE", "the image cannot be fetched from the release service now");
        }
        long size = image.size();
        long first = 0;
        long last = size - 1;
        int status = 200;
        String range = request.getHeader("Range");
        long[] span = range(range, size);
        if (span != null) {
            if (span.length == 0) {
                response.setHeader("Content-Range", "bytes */" + size);
                throw new SouthboundException(416, "RANGE_NOT_SATISFIABLE", "the image has " + size + " bytes; range "
                        + Inputs.prefix(range));
            }
            first = span[0];
            last = span[1];
            status = 206;
            response.setHeader("Content-Range", "bytes " + first + "-" + last + "/" + size);
        }
        response.setStatus(status);
        response.setHeader("Accept-Ranges", "bytes");
        response.setHeader("ETag", "\"" + digest + "\"");
        response.setContentType("application/octet-stream");
        long length = last - first + 1;
        response.setContentLengthLong(length);
        if (head) {
            return;
        }
        send(image, first, length, response);
    }

    /**
     * The one byte range {@code header} asks of a representation of {@code size} bytes, as RFC 9110 section 14 reads
     * it: {@code {first, last}}; an empty array when it cannot be satisfied (416); null when there is no header, it is
     * not a single well-formed {@code bytes} range (which a server may ignore and answer whole) or asks for all.
     * Positions of any length are read: one past {@code Long.MAX_VALUE} is simply past the end.
     */
    static long[] range(String header, long size) {
        Matcher m = header == null ? null : RANGE.matcher(header.strip());
        if (m == null || !m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return null;
        }
        if (m.group(1).isEmpty()) {
            long suffix = position(m.group(2));
            if (suffix == 0 || size == 0) {
                return new long[0];
            }
            return new long[] {Math.max(0, size - suffix), size - 1};
        }
        long first = position(m.group(1));
        long last = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, position(m.group(2)));
        if (!m.group(2).isEmpty() && position(m.group(2)) < first) {
            return null; // last before first: not a valid range, ignored
        }
        if (first >= size) {
            return new long[0];
        }
        return new long[] {first, last};
    }

    private static long position(String digits) {
        String d = digits.replaceFirst("^0+(?=\\d)", "");
        return d.length() > 18 ? Long.MAX_VALUE : Long.parseLong(d);
    }

    /**
     * Streams {@code length} bytes of the cached image from {@code first}, a window of the file at a time: mapped
     * and handed to Jetty, which encrypts straight from the page cache (TLS rules out {@code sendfile}; this is the
     * zero-copy that TLS allows), never more than {@value #WINDOW_BYTES} bytes mapped and nothing read into the heap.
     */
    private static void send(CachedImage image, long first, long length, HttpServletResponse response) throws IOException {
        try (FileChannel file = FileChannel.open(image.file(), StandardOpenOption.READ)) {
            if (file.size() < first + length) {
                throw new IOException("the cached image " + image.digest() + " is shorter than " + (first + length) + " bytes");
            }
            OutputStream out = response.getOutputStream();
            long position = first;
            long remaining = length;
            if (out instanceof HttpOutput jetty) {
                while (remaining > 0) {
                    long n = Math.min(WINDOW_BYTES, remaining);
                    jetty.write(file.map(FileChannel.MapMode.READ_ONLY, position, n));
                    position += n;
                    remaining -= n;
                }
                return;
            }
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            while (remaining > 0) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), remaining));
                int n = file.read(buffer, position);
                if (n < 0) {
                    throw new IOException("the cached image " + image.digest() + " is shorter than expected");
                }
                out.write(buffer.array(), 0, n);
                position += n;
                remaining -= n;
            }
        }
    }

    private static X509Certificate certificate(HttpServletRequest request) {
        Object chain = request.getAttribute(CERTIFICATES);
        return chain instanceof X509Certificate[] certs && certs.length > 0 ? certs[0] : null;
    }

    private byte[] body(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getContentLengthLong() > maxBodyBytes) {
            throw tooLarge();
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw tooLarge();
            }
            return body;
        } catch (IOException | RuntimeException e) {
            if (ClientLimits.timedOut(e)) {
                // what is left of the body is not read: the connection cannot carry another request
                response.setHeader("Connection", "close");
                throw new SouthboundException(408, "REQUEST_TIMEOUT", ClientLimits.timeoutMessage());
            }
            throw e;
        }
    }

    private SouthboundException tooLarge() {
        return new SouthboundException(413, "TOO_LARGE", "a request body must be at most " + maxBodyBytes + " bytes");
    }

    private <T> T parse(byte[] body, Class<T> type) {
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                throw new SouthboundException(400, "INVALID", "the body must be a JSON object");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new SouthboundException(400, "INVALID_JSON", "the body is not the JSON this call takes: "
                    + Inputs.prefix(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new SouthboundException(400, "INVALID_JSON", "unreadable body: " + Inputs.prefix(e.getMessage()));
        }
    }

    private void write(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType(JSON);
        byte[] bytes = json.writeValueAsBytes(body);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
