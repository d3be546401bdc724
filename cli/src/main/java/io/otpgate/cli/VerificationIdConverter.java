package io.otpgate.cli;

import io.otpgate.core.id.VerificationId;

/** Reads a verification id ({@code ver_…}), refusing anything else before a database is opened. */
final class VerificationIdConverter extends ValidatedConverter<VerificationId> {
    VerificationIdConverter() {
        super(VerificationId::parse);
    }
}
