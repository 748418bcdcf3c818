package ai.vtc.evaluator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vtc.contracts.Channels;
import ai.vtc.contracts.Topics;
import ai.vtc.stack.testing.StackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "evaluator"))
class EvaluatorStartsTest {
    @Test
    void answersHealthAndMetrics() {
        given().when().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void bindsEachChannelToItsTopic() {
        assertEquals(Topics.PREDICTIONS, channelTopic("incoming", Channels.PREDICTIONS));
        assertEquals(Topics.EVALUATIONS, channelTopic("outgoing", Channels.EVALUATIONS));
        assertEquals(Topics.TRIALS_DLQ, channelTopic("outgoing", Channels.DEAD_LETTERS));
    }

    private static String channelTopic(String direction, String channel) {
        return ConfigProvider.getConfig()
                .getValue("mp.messaging." + direction + "." + channel + ".topic", String.class);
    }
}
