package ai.vtc.cli;

import ai.vtc.contracts.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * The scheduler's REST API over {@code java.net.http}; JSON answers as trees. The demo talks to the dataset service
 * through the same client (its name goes into the error messages).
 */
final class SchedulerClient {
    /** The scheduler said no (or could not be reached); the message is for the researcher. */
    static final class ApiException extends RuntimeException {
        private final int status;
        private final JsonNode problem;

        ApiException(int status, String message, JsonNode problem) {
            super(message);
            this.status = status;
            this.problem = problem;
        }

        int status() {
            return status;
        }

        /** The problem body ({@code application/problem+json}) when there was one. */
        JsonNode problem() {
            return problem;
        }
    }

    private final URI base;
    private final String token;
    private final HttpClient http;
    private final String service;

    SchedulerClient(String baseUrl, String token) {
        this(baseUrl, token, "the scheduler");
    }

    SchedulerClient(String baseUrl, String token, String service) {
        this.service = service;
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.token = token;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** With the token too: the checkpoint listing hands out presigned links, so the scheduler asks for it there. */
    JsonNode get(String path) {
        return send(authorized(request(path)).GET().build());
    }

    JsonNode post(String path) {
        return send(authorized(request(path))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    }

    /** A sweep document as its bytes: the scheduler checks they are UTF-8 and says where they are not. */
    JsonNode postYaml(String path, byte[] document) {
        return send(authorized(request(path))
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(document))
                .build());
    }

    JsonNode postJson(String path, String json) {
        return send(authorized(request(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    /**
     * Downloads {@code url} (a presigned object URL) to {@code target} through a partial file, which becomes {@code
     * target} only when its sha256 is {@code sha256} (null: not checked).
     *
     * @throws UserError when the download fails or its bytes do not match, saying what to do
     */
    void download(String url, Path target, String sha256) {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try {
            Files.createDirectories(target.getParent());
            HttpResponse<Path> response = http.send(
                    HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofFile(partial));
            if (response.statusCode() != 200) {
                Files.deleteIfExists(partial);
                throw new UserError("download of " + target.getFileName() + " answered " + response.statusCode()
                        + " (the link may have expired: run the command again)");
            }
            String actual = Sha256.of(partial);
            if (sha256 != null && !sha256.equals(actual)) {
                Files.deleteIfExists(partial);
                throw new UserError(target.getFileName() + " arrived with sha256 " + actual + ", but the checkpoint"
                        + " lists " + sha256 + "; nothing was kept of it: run the command again");
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UserError("cannot download " + target.getFileName() + " to " + target.getParent() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while downloading " + target.getFileName());
        }
    }

    /**
     * Sends {@code file} to {@code url} (a presigned PUT link), streamed from disk.
     *
     * @throws UserError when the upload fails
     */
    void upload(String url, Path file) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .PUT(HttpRequest.BodyPublishers.ofFile(file))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new UserError("upload of " + file.getFileName() + " answered " + response.statusCode()
                        + " (the link may have expired: run the command again)");
            }
        } catch (IOException e) {
            throw new UserError("cannot upload " + file + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while uploading " + file.getFileName());
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
                .header("Accept", "application/json")
                .timeout(Duration.ofMinutes(2));
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return token == null || token.isEmpty() ? request : request.header("Authorization", "Bearer " + token);
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ApiException(
                    0,
                    "cannot reach " + service + " at " + base + " (is it running? './sweep up' starts it"
                            + (service.equals("the scheduler") ? "; set --url or SWEEP_URL)" : ")"),
                    null);
        } catch (IOException e) {
            throw new ApiException(0, "cannot talk to " + service + " at " + base + ": " + e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted", null);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() / 100 == 2) {
            return body;
        }
        String message = body != null && body.hasNonNull("title")
                ? body.path("title").asText()
                        + (body.hasNonNull("detail")
                                ? ": " + body.path("detail").asText()
                                : "")
                : service + " answered " + response.statusCode();
        if (response.statusCode() == 401) {
            message += " (set --token or SWEEP_TOKEN)";
        }
        throw new ApiException(response.statusCode(), message, body);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
