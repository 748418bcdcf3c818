package ai.vtc.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.stack.StackConfig;
import ai.vtc.stack.testing.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Against the real S3 server of the embedded stack. */
class ObjectStoreTest {
    private final StackConfig config = TestStack.get().config();
    private final ObjectStore store = new ObjectStore(
            config.s3Endpoint(),
            config.s3().accessKey(),
            config.s3().secretKey(),
            config.s3().bucket());

    @Test
    void putGetListPresignAndDelete() throws Exception {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        store.put("tests/store/a.json", body, "application/json");
        store.put("tests/store/sub/b.json", body, "application/json");
        assertArrayEquals(body, store.get("tests/store/a.json"));
        assertEquals(Optional.of((long) body.length), store.size("tests/store/a.json"));
        assertEquals(List.of("tests/store/a.json", "tests/store/sub/b.json"), store.list("tests/store/"));
        HttpResponse<byte[]> viaUrl = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(store.presignedGet("tests/store/a.json", 60)))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(body, viaUrl.body());
        store.delete("tests/store/a.json");
        assertFalse(store.exists("tests/store/a.json"));
        assertTrue(store.exists("tests/store/sub/b.json"));
        assertEquals("tests/store/sub/b.json", store.keyOf(store.uri("tests/store/sub/b.json")));
    }

    @Test
    void aPresignedPutUploadsWithoutCredentials() throws Exception {
        byte[] body = "weights".repeat(1000).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> put = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(store.presignedPut("tests/store/put.bin", 60)))
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        assertArrayEquals(body, store.get("tests/store/put.bin"));
        store.delete("tests/store/put.bin");
    }
}
