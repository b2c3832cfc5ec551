package org.edgeorch.soap;

import java.util.List;

import javax.jws.WebMethod;
import javax.jws.WebParam;
import javax.jws.WebResult;
import javax.jws.WebService;

/**
 * A project's events over SOAP at {@code /soap/events} (PROJECT_READ), the same journal as REST's
 * {@code /projects/{p}/events}; to follow them live use REST's Server-Sent Events or {@code edge:events --follow}.
 */
@WebService(name = "EventService", targetNamespace = PlatformService.NAMESPACE)
public interface EventPort {

    /**
     * Newest first. {@code type} any number of event types (none for all), {@code subject}, {@code from} (inclusive)
     * and {@code to} (exclusive) ISO-8601 instants and {@code afterId} are optional; {@code limit} 0 means 50.
     */
    @WebMethod
    @WebResult(name = "page")
    EventDtos.Page listEvents(@WebParam(name = "project") String project,
                              @WebParam(name = "type") List<String> types,
                              @WebParam(name = "subject") String subject,
                              @WebParam(name = "from") String from,
                              @WebParam(name = "to") String to,
                              @WebParam(name = "afterId") Long afterId,
                              @WebParam(name = "offset") int offset,
                              @WebParam(name = "limit") int limit) throws TenancyFault;
}
