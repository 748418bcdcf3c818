package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Visual-token compression of one trial (DESIGN section 6).
 *
 * @param mode {@code none}, {@code avg_pool} or {@code learnable_pool}
 * @param factor pooling window and stride; null for {@code none}
 * @param stage encoder layer index before which the grid tokens are pooled (0 .. encoder layers); null for {@code none}
 * @param sorted sort every channel of the grid block before pooling; null for {@code none}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Compression(String mode, Integer factor, Integer stage, Boolean sorted) {
    public static final String NONE = "none";
    public static final String AVG_POOL = "avg_pool";
    public static final String LEARNABLE_POOL = "learnable_pool";

    public static Compression none() {
        return new Compression(NONE, null, null, null);
    }

    @JsonIgnore
    public boolean isNone() {
        return NONE.equals(mode);
    }

    /** Visual tokens the language model sees for {@code gridTokens} grid tokens (plus the global token). */
    public int visualTokensKept(int gridTokens) {
        if (isNone()) {
            return 1 + gridTokens;
        }
        int pooled = LEARNABLE_POOL.equals(mode) ? (gridTokens + factor - 1) / factor : gridTokens / factor;
        return 1 + pooled;
    }
}
