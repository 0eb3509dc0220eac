package qdrantbackup.store.s3;

import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns SDK failures into messages an operator can act on: they name the bucket and key and the likely fix
 * (the setting to change), and never contain a credential.
 */
final class S3Errors {
    private final OffsiteSettings settings;
    private final String base;

    S3Errors(OffsiteSettings settings) {
        this.settings = settings;
        this.base = settings.prefix().isEmpty() ? "" : settings.prefix() + "/";
    }

    String bucket() {
        return settings.bucket();
    }

    String where(String key) {
        return "s3://" + settings.bucket() + "/" + key;
    }

    String bucketMissing() {
        return "bucket " + settings.bucket() + " does not exist at " + endpointName()
                + ": create it or fix offsite.bucket";
    }

    String endpointName() {
        return settings.endpoint() != null ? settings.endpoint().toString() : "AWS S3 (" + settings.region() + ")";
    }

    /** Turns an SDK failure into a message naming bucket/key and the likely fix; never contains a credential. */
    OffsiteException translate(String action, String key, SdkException e) {
        String msg;
        if (e instanceof S3Exception s) {
            int status = s.statusCode();
            String code = s.awsErrorDetails() != null ? s.awsErrorDetails().errorCode() : null;
            String detail = "HTTP " + status + (code != null ? " " + code : "");
            if ("NoSuchBucket".equals(code)) {
                msg = bucketMissing();
            } else if ("InvalidAccessKeyId".equals(code)
                    || "SignatureDoesNotMatch".equals(code)
                    || "InvalidToken".equals(code)
                    || "ExpiredToken".equals(code)
                    || "InvalidSecurity".equals(code)
                    || (status == 403 && !"AccessDenied".equals(code))) {
                msg = "S3 refused the credentials (" + detail + ") for " + action + " " + where(key)
                        + ": check offsite.access-key/secret-key or the AWS credential chain";
            } else if (status == 403) {
                msg = "S3 denied " + action + " " + where(key) + " (" + detail + "): check offsite.access-key/"
                        + "secret-key or the AWS credential chain, and that they may read/write/delete under "
                        + "s3://" + settings.bucket() + "/" + base;
            } else if (status == 501 || "NotImplemented".equals(code)) {
                msg = "the S3 store at " + endpointName() + " does not implement " + action + " as sent (" + detail
                        + ": "
                        + scrub(
                                s.awsErrorDetails() != null
                                        ? s.awsErrorDetails().errorMessage()
                                        : "")
                        + "): set offsite.checksum-mode=when_required for S3-compatible stores";
            } else if (status == 301
                    || "PermanentRedirect".equals(code)
                    || "AuthorizationHeaderMalformed".equals(code)) {
                msg = "bucket " + settings.bucket() + " is not in region " + settings.region() + " (" + detail
                        + ") for " + action + " " + where(key) + ": fix offsite.region";
            } else {
                String text = s.awsErrorDetails() != null ? s.awsErrorDetails().errorMessage() : null;
                if (text == null || text.isBlank()) {
                    text = s.getMessage();
                }
                msg = action + " " + where(key) + " failed: " + detail + ": " + scrub(text);
            }
        } else if (e instanceof SdkClientException
                && e.getMessage() != null
                && e.getMessage().contains("credentials")) {
            msg = "no usable AWS credentials for " + action + " " + where(key) + ": set offsite.access-key/secret-key "
                    + "or configure the AWS credential chain (" + scrub(e.getMessage()) + ")";
        } else {
            msg = "cannot reach S3 at " + endpointName() + " for " + action + " " + where(key) + ": "
                    + scrub(e.getMessage()) + ": check offsite.endpoint and the network";
        }
        return new OffsiteException(msg, e);
    }

    /** The failure of a multipart upload (already aborted by the caller), whatever its cause. */
    OffsiteException uploadFailure(String key, Throwable t) {
        Throwable cause = t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof OffsiteException o) {
            return o;
        }
        if (cause instanceof SdkException sdk) {
            return translate("multipart upload", key, sdk);
        }
        if (cause instanceof InterruptedException) {
            return new OffsiteException(
                    "upload to " + where(key) + " was interrupted; the multipart upload was aborted", cause);
        }
        return new OffsiteException(
                "upload to " + where(key) + " failed: " + scrub(String.valueOf(cause))
                        + "; the multipart upload was aborted",
                cause);
    }

    /** Masks the configured keys in a text from the SDK or the store. */
    String scrub(String text) {
        if (text == null) {
            return "";
        }
        String t = text;
        if (settings.secretKey() != null) {
            t = t.replace(settings.secretKey(), "****");
        }
        if (settings.accessKey() != null) {
            t = t.replace(settings.accessKey(), "****");
        }
        return t;
    }
}
