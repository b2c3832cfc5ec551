package org.edgeorch.soap;

import java.util.List;

import javax.jws.WebMethod;
import javax.jws.WebParam;
import javax.jws.WebResult;
import javax.jws.WebService;

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
    List<ScheduleDtos.Window> listWindows(@WebParam(name = "project") String project,
                                          @WebParam(name = "targetType") String targetType,
                                          @WebParam(name = "target") String target) throws TenancyFault;

    @WebMethod
    @WebResult(name = "window")
    ScheduleDtos.Window getWindow(@WebParam(name = "project") String project,
                                  @WebParam(name = "name") String name) throws TenancyFault;

    @WebMethod
    @WebResult(name = "window")
    ScheduleDtos.Window createWindow(@WebParam(name = "project") String project,
                                     @WebParam(name = "window") ScheduleDtos.WindowSpec window) throws TenancyFault;

    @WebMethod
    @WebResult(name = "window")
    ScheduleDtos.Window updateWindow(@WebParam(name = "project") String project, @WebParam(name = "name") String name,
                                     @WebParam(name = "change") ScheduleDtos.WindowChange change) throws TenancyFault;

    @WebMethod
    void deleteWindow(@WebParam(name = "project") String project, @WebParam(name = "name") String name) throws TenancyFault;

    @WebMethod
    @WebResult(name = "policy")
    List<ScheduleDtos.Policy> listPolicies(@WebParam(name = "project") String project) throws TenancyFault;

    /** Sets a target's policy, replacing its previous one. {@code kind}: LATEST (no version) or TARGET (a version). */
    @WebMethod
    @WebResult(name = "policy")
    ScheduleDtos.Policy setPolicy(@WebParam(name = "project") String project,
                                  @WebParam(name = "targetType") String targetType,
                                  @WebParam(name = "target") String target,
                                  @WebParam(name = "kind") String kind,
                                  @WebParam(name = "profile") String profile,
                                  @WebParam(name = "version") String version) throws TenancyFault;

    @WebMethod
    void clearPolicy(@WebParam(name = "project") String project, @WebParam(name = "targetType") String targetType,
                     @WebParam(name = "target") String target) throws TenancyFault;

    @WebMethod
    @WebResult(name = "schedule")
    ScheduleDtos.HostSchedule getHostSchedule(@WebParam(name = "project") String project,
                                              @WebParam(name = "host") String host) throws TenancyFault;
}
