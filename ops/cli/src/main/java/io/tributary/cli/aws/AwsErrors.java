package io.tributary.cli.aws;

import io.tributary.cli.common.CliError;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns an AWS SDK failure into the one line a user acts on: what failed, why, and what to do. */
public final class AwsErrors {
    private AwsErrors() {
    }

    /**
     * @param doing what was being done, e.g. "Athena ListQueryExecutions for workgroup primary"
     * @param permission the IAM action that call needs, named when AWS refuses it
     */
    public static CliError describe(SdkException e, String doing, String permission) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String code = service.awsErrorDetails().errorCode();
            String message = service.awsErrorDetails().errorMessage();
            if (service.statusCode() == 403 || "AccessDeniedException".equals(code) || "UnrecognizedClientException".equals(code)) {
                return new CliError(doing + " was refused (" + code + ": " + message + "): the identity needs " + permission
                        + "; check --profile and the IAM policy", e);
            }
            return new CliError(doing + " failed: " + code + ": " + message, e);
        }
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SdkClientException && (text.startsWith("Unable to load credentials")
                || text.contains("no credentials for profile"))) {
            return new CliError("no AWS credentials found for " + doing + ": set AWS_PROFILE or pass --profile, "
                    + "run `aws sso login`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof SocketTimeoutException) {
                return new CliError("cannot reach AWS for " + doing + " (" + t.getClass().getSimpleName() + ": " + t.getMessage()
                        + "): check the network and --region", e);
            }
        }
        return new CliError(doing + " failed: " + text.lines().findFirst().orElse(text), e);
    }
}
