package ai.vtc.scheduler.rest;

import ai.vtc.scheduler.persistence.RaceEntity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The Pareto race of a sweep ({@code search: {strategy: pareto_race}}). */
@Path("/sweeps/{id}/race")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sweeps")
public class RaceResource {
    @GET
    @Operation(
            summary = "The sweep's Pareto race: rungs, entrants, questions answered, and every decision with its "
                    + "evidence",
            description = "Each decision names the rung, the trial, whether it stopped or went on, and for a stop "
                    + "the trial that dominated it (cheaper or equal in visual tokens) with the paired difference "
                    + "in points and its interval at the race's confidence.")
    @APIResponse(responseCode = "404", description = "No such sweep, or the sweep is a grid")
    public RaceView race(@PathParam("id") String id) {
        RaceEntity race = RaceEntity.findById(id); // read without a transaction, as the other views
        if (race == null) {
            throw new NotFoundException("sweep " + id + " has no race (no such sweep, or its search is a grid)");
        }
        return RaceView.of(race);
    }
}
