/**
 * The mail adapter: {@link io.otpgate.mail.SmtpTransport} sends over SMTP with Jakarta Mail
 * (Eclipse Angus), {@link io.otpgate.mail.DevMailbox} captures emails when no SMTP host is set, and
 * {@link io.otpgate.mail.TemplateComposer} renders the localised code email from Mustache templates
 * and {@link io.otpgate.mail.Translations}, the localised strings (ICU MessageFormat over UTF-8
 * properties) that the hosted pages use as well.
 */
package io.otpgate.mail;
