package org.edgeorch.soap;

import java.util.List;

import javax.jws.WebMethod;
import javax.jws.WebParam;
import javax.jws.WebResult;
import javax.jws.WebService;
import javax.xml.bind.annotation.XmlElement;

/**
 * Maintenance windows and update policies on a project's regions, sites, clusters and hosts, and each host's schedule,
 * over SOAP at {@code /soap/schedules}; the same authorisation as REST and the shell (read: a role in the project;
 * change: CONFIG_WRITE). {@code targetType} is REGION, SITE, CLUSTER or HOST.
 */
@WebService(name = "ScheduleService", targetNamespace = PlatformService.NAMESPACE)
public interface SchedulePort {

    /** The project's windows; with {@code targetType}, those on targets of that type, with {@code target} too, on that one. */
    @WebMethod
    @WebResult(name = "window")
    List<ScheduleDtos.Window> listWindows(@XmlElement(required = true) @WebParam(name = "project") String project,
                                          @WebParam(name = "targetType") String targetType,
                                          @WebParam(name = "target") String target) throws TenancyFault;

    @WebMethod
    @WebResult(name = "window")
    ScheduleDtos.Window getWindow(@XmlElement(required = true) @WebParam(name = "project") String project,
                                  @XmlElement(required = true) @WebParam(name = "name") String name) throws TenancyFault;

    @WebMethod
    @WebResult(name = "window")
    ScheduleDtos.Window createWindow(@XmlElement(required = true) @WebParam(name = "project") String project,
                                     @WebParam(name = "window") ScheduleDtos.WindowSpec window) throws TenancyFault;

    @WebMethod
    @WebResult(name = "window")
    ScheduleDtos.Window updateWindow(@XmlElement(required = true) @WebParam(name = "project") String project, @XmlElement(required = true) @WebParam(name = "name") String name,
                                     @WebParam(name = "change") ScheduleDtos.WindowChange change) throws TenancyFault;

    @WebMethod
    void deleteWindow(@XmlElement(required = true) @WebParam(name = "project") String project, @XmlElement(required = true) @WebParam(name = "name") String name) throws TenancyFault;

    @WebMethod
    @WebResult(name = "policy")
    List<ScheduleDtos.Policy> listPolicies(@XmlElement(required = true) @WebParam(name = "project") String project) throws TenancyFault;

    /** Sets a target's policy, replacing its previous one. {@code kind}: LATEST (no version) or TARGET (a version). */
    @WebMethod
    @WebResult(name = "policy")
    ScheduleDtos.Policy setPolicy(@XmlElement(required = true) @WebParam(name = "project") String project,
                                  @XmlElement(required = true) @WebParam(name = "targetType") String targetType,
                                  @XmlElement(required = true) @WebParam(name = "target") String target,
                                  @WebParam(name = "kind") String kind,
                                  @WebParam(name = "profile") String profile,
                                  @WebParam(name = "version") String version) throws TenancyFault;

    @WebMethod
    void clearPolicy(@XmlElement(required = true) @WebParam(name = "project") String project, @XmlElement(required = true) @WebParam(name = "targetType") String targetType,
                     @XmlElement(required = true) @WebParam(name = "target") String target) throws TenancyFault;

    @WebMethod
    @WebResult(name = "schedule")
    ScheduleDtos.HostSchedule getHostSchedule(@XmlElement(required = true) @WebParam(name = "project") String project,
                                              @XmlElement(required = true) @WebParam(name = "host") String host) throws TenancyFault;
}
