package qdrantbackup.management;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The bearer token of {@code POST /backup} and {@code GET /backups} (management.token). Health and
 * metrics stay open for probes and Prometheus. Without a token set the two answer 403 and say how
 * to enable them. The token is compared in constant time and never logged or echoed.
 */
public final class ManagementToken {
    private final byte[] token;

    public ManagementToken(String token) {
        this.token = token == null || token.isBlank() ? null : token.trim().getBytes(StandardCharsets.UTF_8);
    }

    /** Null when the request may go on, else the refusal to send back. */
    public OnDemand.Answer refusal(String authorization) {
        if (token == null) {
            return new OnDemand.Answer(
                    403,
                    false,
                    null,
                    "POST /backup and GET /backups are off: set management.token (better: the environment"
                            + " variable MANAGEMENT_TOKEN) and send it as 'Authorization: Bearer <token>'");
        }
        String prefix = "Bearer ";
        if (authorization == null || !authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return new OnDemand.Answer(
                    401, false, null, "this needs the management token: send 'Authorization: Bearer <token>'");
        }
        byte[] sent = authorization.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(token, sent)) {
            return new OnDemand.Answer(
                    401, false, null, "the management token is wrong: send the one set in management.token");
        }
        return null;
    }
}
