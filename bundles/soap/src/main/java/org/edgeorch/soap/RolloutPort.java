package org.edgeorch.soap;

import java.util.List;

import javax.jws.WebMethod;
import javax.jws.WebParam;
import javax.jws.WebResult;
import javax.jws.WebService;
import javax.xml.bind.annotation.XmlElement;

/**
 * Rollouts in waves and update runs over SOAP at {@code /soap/rollouts}, with the same authorisation as REST and the
 * shell: reading needs a role in the project, creating CONFIG_WRITE, starting, pausing, resuming and aborting OPERATE.
 * Refusals are {@link TenancyFault}s; a transition the rollout's state does not allow is a CONFLICT naming the state.
 */
@WebService(name = "RolloutService", targetNamespace = PlatformService.NAMESPACE)
public interface RolloutPort {

    /** Resolves the hosts, assigns them to waves and records the rollout READY. */
    @WebMethod
    @WebResult(name = "rollout")
    RolloutDtos.Rollout createRollout(@XmlElement(required = true) @WebParam(name = "project") String project,
                                      @WebParam(name = "spec") RolloutDtos.Spec spec) throws TenancyFault;

    /** Newest first; {@code state} absent for all; {@code limit} 0 means 50. */
    @WebMethod
    @WebResult(name = "rollout")
    List<RolloutDtos.Rollout> listRollouts(@XmlElement(required = true) @WebParam(name = "project") String project,
                                           @WebParam(name = "state") String state,
                                           @WebParam(name = "offset") int offset,
                                           @WebParam(name = "limit") int limit) throws TenancyFault;

    @WebMethod
    @WebResult(name = "rollout")
    RolloutDtos.Rollout getRollout(@XmlElement(required = true) @WebParam(name = "project") String project,
                                   @XmlElement(required = true) @WebParam(name = "name") String name) throws TenancyFault;

    @WebMethod
    @WebResult(name = "rollout")
    RolloutDtos.Rollout startRollout(@XmlElement(required = true) @WebParam(name = "project") String project,
                                     @XmlElement(required = true) @WebParam(name = "name") String name) throws TenancyFault;

    @WebMethod
    @WebResult(name = "rollout")
    RolloutDtos.Rollout pauseRollout(@XmlElement(required = true) @WebParam(name = "project") String project,
                                     @XmlElement(required = true) @WebParam(name = "name") String name) throws TenancyFault;

    /** Accepts what paused it: a failed wave is left behind, crossed failure thresholds count afresh. */
    @WebMethod
    @WebResult(name = "rollout")
    RolloutDtos.Rollout resumeRollout(@XmlElement(required = true) @WebParam(name = "project") String project,
                                      @XmlElement(required = true) @WebParam(name = "name") String name) throws TenancyFault;

    /** For good: unfinished update runs fail (ABORTED) and their hosts are no longer told to update. */
    @WebMethod
    @WebResult(name = "rollout")
    RolloutDtos.Rollout abortRollout(@XmlElement(required = true) @WebParam(name = "project") String project,
                                     @XmlElement(required = true) @WebParam(name = "name") String name) throws TenancyFault;

    /** By wave and host; {@code status} and {@code wave} absent for all; {@code limit} 0 means 100. */
    @WebMethod
    @WebResult(name = "runs")
    RolloutDtos.RunPage listRolloutRuns(@XmlElement(required = true) @WebParam(name = "project") String project,
                                        @XmlElement(required = true) @WebParam(name = "name") String name,
                                        @WebParam(name = "status") String status,
                                        @WebParam(name = "wave") Integer wave,
                                        @WebParam(name = "offset") int offset,
                                        @WebParam(name = "limit") int limit) throws TenancyFault;

    /** Newest first, from rollouts and from the host's update policy; {@code limit} 0 means 100. */
    @WebMethod
    @WebResult(name = "runs")
    RolloutDtos.RunPage listHostUpdateRuns(@XmlElement(required = true) @WebParam(name = "project") String project,
                                           @XmlElement(required = true) @WebParam(name = "host") String host,
                                           @WebParam(name = "status") String status,
                                           @WebParam(name = "offset") int offset,
                                           @WebParam(name = "limit") int limit) throws TenancyFault;
}
