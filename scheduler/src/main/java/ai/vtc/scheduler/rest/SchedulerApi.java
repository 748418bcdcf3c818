package ai.vtc.scheduler.rest;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The OpenAPI document's header (served at {@code /q/openapi}) and the bearer-token scheme changes use. */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "scheduler",
                        version = "1",
                        description = "Sweep YAML in, trials out to Kafka, sweep lifecycle and results. "
                                + "Every POST needs 'Authorization: Bearer <scheduler.api-token>'."))
@SecurityScheme(securitySchemeName = SchedulerApi.TOKEN, type = SecuritySchemeType.HTTP, scheme = "bearer")
public class SchedulerApi extends Application {
    public static final String TOKEN = "api-token";
}
