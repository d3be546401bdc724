package io.otpgate.core.delivery;

/** Renders a code email from templates (a port: the mail adapter implements it). */
public interface MailComposer {

    OutgoingEmail compose(CodeEmail email);
}
