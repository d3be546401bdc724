/**
 * The pages a person sees: the hosted start, code and confirm pages ({@link
 * io.otpgate.server.pages.HostedPages} and one class per page), rendered from the Mustache
 * templates in {@code resources/io/otpgate/server/pages/}, with their CSRF, language and redirect
 * rules, their static assets, the development mailbox, and the analytics dashboard ({@link
 * io.otpgate.server.pages.Dashboard}).
 */
package io.otpgate.server.pages;
