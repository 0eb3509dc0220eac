package qdrantbackup.store.s3;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 with {@code x-amz-content-sha256: UNSIGNED-PAYLOAD}, as the SDK already signs over https. Over plain
 * http the SDK's synchronous signer reads and hashes every part body once more before sending it (about 0.8 s
 * of CPU per GiB, bench/README.md), and no client option turns that off. The headers stay signed; the bytes
 * are checked by the tool's own SHA-256 (object metadata, verified on every fetch).
 */
final class UnsignedPayload {
    private UnsignedPayload() {}

    static AwsV4AuthScheme scheme() {
        AwsV4AuthScheme sigv4 = AwsV4AuthScheme.create();
        AwsV4HttpSigner inner = sigv4.signer();
        AwsV4HttpSigner signer = new AwsV4HttpSigner() {
            @Override
            public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
                SignedRequest signed = inner.sign(request.copy(
                        r -> r.payload(null).putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)));
                return signed.copy(r -> r.payload(request.payload().orElse(null)));
            }

            @Override
            public CompletableFuture<AsyncSignedRequest> signAsync(
                    AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
                return inner.signAsync(request);
            }
        };
        return new AwsV4AuthScheme() {
            @Override
            public String schemeId() {
                return sigv4.schemeId();
            }

            @Override
            public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
                return sigv4.identityProvider(providers);
            }

            @Override
            public AwsV4HttpSigner signer() {
                return signer;
            }
        };
    }
}
