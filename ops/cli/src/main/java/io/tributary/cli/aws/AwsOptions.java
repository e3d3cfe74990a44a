package io.tributary.cli.aws;

import io.tributary.cli.common.SettingDefaults;
import io.tributary.cli.common.Settings;
import java.net.URI;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * Where and as whom the AWS commands call AWS: --region and --profile, else the SDK's default
 * chains (AWS_REGION, AWS_PROFILE, ~/.aws, SSO, container and instance roles), as the AWS CLI does.
 */
public final class AwsOptions {
    /** When neither the flag, the environment nor the profile names a region (as `athena apply` always did). */
    static final String FALLBACK_REGION = "us-east-1";
    /**
     * Retries per request. The SDK's standard strategy already knows Athena's TooManyRequestsException
     * and CloudTrail's ThrottlingException as throttling and backs off exponentially with jitter
     * (1 s base, 20 s cap); its 3 attempts are too few for a long crawl of LookupEvents, which
     * allows 2 requests a second per account and region.
     */
    static final int MAX_ATTEMPTS = 8;

    @Option(names = "--region", descriptionKey = "AWS_REGION",
            description = "AWS region (default: AWS_REGION, else the profile's region, else " + FALLBACK_REGION + ").")
    String region;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--profile", description = "Named profile from ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE, "
            + "else the SDK's default credential chain).")
    String profile;

    @Option(names = "--endpoint", hidden = true, description = "Endpoint override for the Athena and CloudTrail APIs (tests).")
    String endpoint;

    public String region() {
        if (region != null && !region.isBlank()) {
            return region;
        }
        try {
            // Not the full default chain: its instance-metadata probe stalls on machines outside EC2.
            return new AwsRegionProviderChain(new SystemSettingsRegionProvider(),
                    new AwsProfileRegionProvider(ProfileFile::defaultProfileFile, profile)).getRegion().id();
        } catch (SdkClientException e) {
            return FALLBACK_REGION;
        }
    }

    public AwsCredentialsProvider credentials() {
        // An explicit profile wins over credentials in the environment, as with the AWS CLI's --profile.
        if (profile != null && !profile.isBlank()) {
            return ProfileCredentialsProvider.builder().profileName(profile).build();
        }
        // Keys the settings name (./tributary: the local stack's local-only keys); else the SDK's default chain.
        Settings settings = spec == null ? Settings.environment() : SettingDefaults.of(spec);
        String key = settings.get("AWS_ACCESS_KEY_ID");
        String secret = settings.get("AWS_SECRET_ACCESS_KEY");
        return key != null && secret != null ? StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret))
                : DefaultCredentialsProvider.builder().build();
    }

    /** The endpoint override of the Athena and CloudTrail APIs, or null. */
    public String endpoint() {
        return endpoint == null || endpoint.isBlank() ? null : endpoint;
    }

    /** Region, credentials, retries, and {@code endpointOverride} unless null. */
    public <B extends AwsClientBuilder<B, C>, C> B configure(B builder, String endpointOverride) {
        RetryStrategy retries = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(MAX_ATTEMPTS)
                // The circuit breaker would stop retrying a steadily throttled crawl part way through.
                .circuitBreakerEnabled(false)
                .build();
        builder.region(Region.of(region())).credentialsProvider(credentials())
                .overrideConfiguration(o -> o.retryStrategy(retries));
        if (endpointOverride != null) {
            builder.endpointOverride(URI.create(endpointOverride));
        }
        return builder;
    }
}
