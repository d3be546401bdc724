package io.otpgate.server;

import static io.otpgate.server.HostedPages.carrying;
import static io.otpgate.server.HostedPages.donePath;
import static io.otpgate.server.HostedPages.redirectFields;
import static io.otpgate.server.HostedPages.seeOther;
import static io.otpgate.server.HostedPages.verifyPath;
import static io.otpgate.server.PageHtml.hidden;
import static io.otpgate.server.PageHtml.message;
import static io.otpgate.server.Pages.escape;

import io.javalin.http.Context;
import io.otpgate.core.delivery.Delivery;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.ResendResult;
import io.otpgate.core.verification.Status;
import io.otpgate.core.verification.Verification;
import io.otpgate.server.HostedPages.Visit;
import io.otpgate.server.PageHtml.Message;
import io.otpgate.server.PageHtml.Page;
import io.otpgate.server.PageMessages.Outcome;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code /verify/{id}}: the code field, the attempts left, and "send a new code" with a countdown
 * to the verification's {@code resend_available_at}; then {@code /verify/{id}/done}.
 */
final class CodePage {

    private static final Pattern SMTP_REPLY = Pattern.compile("[245]\\d\\d[ -]");

    private final HostedPages pages;
    private final PageHtml html;
    private final PageMessages messages;

    CodePage(HostedPages pages) {
        this.pages = pages;
        this.html = pages.html;
        this.messages = pages.messages;
    }

    void show(Context ctx) {
        pages.visit(ctx, HostedPages::verifyPath).ifPresent(visit -> {
            Verification v = visit.verification();
            if (v.status() == Status.APPROVED) {
                seeOther(ctx, carrying(donePath(v.id()), visit.redirect(), '?'));
                return;
            }
            Optional<Message> message = v.status() == Status.PENDING
                    ? Optional.ofNullable(ctx.queryParam("sent"))
                            .map(s -> Message.info(html.t(visit.page(), "resend.sent")))
                    : Optional.of(Message.error(messages.status(visit.page(), v.status())));
            form(ctx, visit, v, message, false, 200);
        });
    }

    void check(Context ctx) {
        guarded(ctx).ifPresent(visit -> check(ctx, visit));
    }

    void resend(Context ctx) {
        guarded(ctx).ifPresent(visit -> resend(ctx, visit));
    }

    private void check(Context ctx, Visit visit) {
        Verification v = visit.verification();
        Page page = visit.page();
        String code = Optional.ofNullable(ctx.formParam("code")).orElse("");
        // The core parser forgives spaces, dashes and digit scripts exactly as the API does.
        CheckResult result = pages.verifier.check(v.tenant(), v.id(), code);
        Optional<Outcome> refused = switch (result.kind()) {
            case APPROVED -> Optional.empty();
            case INCORRECT -> {
                int left = ((CheckResult.Incorrect) result).verification().attemptsRemaining();
                yield Optional.of(new Outcome(400, html.t(page, "check.incorrect", "count", left), true));
            }
            case INVALID_FORMAT -> Optional.of(new Outcome(400, messages.format(page), true));
            case EXPIRED, EXHAUSTED, CANCELED, ALREADY_APPROVED, NOT_FOUND, RECIPIENT_LOCKED ->
                Optional.of(messages.outcome(ctx, page, result));
        };
        if (refused.isEmpty()) {
            seeOther(
                    ctx,
                    visit.redirect().map(r -> r.destination(v.id().value())).orElse(donePath(v.id())));
            return;
        }
        form(ctx, visit, pages.verifier.find(v.id()).orElse(v), refused.get());
    }

    private void resend(Context ctx, Visit visit) {
        Verification v = visit.verification();
        ResendResult result = pages.verifier.resend(v.tenant(), v.id());
        if (result.kind() == ResendResult.Kind.RESENT) {
            seeOther(ctx, carrying(verifyPath(v.id()) + "?sent=1", visit.redirect(), '&'));
        } else if (result.kind() == ResendResult.Kind.NOT_FOUND) {
            pages.notFound(ctx);
        } else {
            Outcome refused = refusal(ctx, visit.page(), result);
            form(ctx, visit, pages.verifier.find(v.id()).orElse(v), refused);
        }
    }

    void done(Context ctx) {
        pages.visit(ctx, HostedPages::donePath).ifPresent(visit -> {
            Verification v = visit.verification();
            if (v.status() != Status.APPROVED) {
                seeOther(ctx, carrying(verifyPath(v.id()), visit.redirect(), '?'));
                return;
            }
            Page page = visit.page();
            String main = "<h1>" + html.e(page, "done.title") + "</h1>\n<div id=\"success\" class=\"message success\""
                    + " role=\"status\">"
                    + html.e(
                            page,
                            "done.text",
                            "email",
                            PageHtml.isolated(v.email().masked())) + "</div>\n"
                    + visit.redirect()
                            .map(r -> "<p><a id=\"continue\" class=\"button wide\" href=\""
                                    + escape(r.destination(v.id().value())) + "\">" + html.e(page, "done.continue")
                                    + "</a></p>\n")
                            .orElse("");
            pages.respond(ctx, 200, page, html.t(page, "done.title"), main, false, visit.redirect());
        });
    }

    /** The visit for a POST that passed the CSRF check and the per-IP limit; else the form, refused. */
    private Optional<Visit> guarded(Context ctx) {
        Optional<Visit> visit = pages.visit(ctx, HostedPages::verifyPath);
        Optional<Message> refused = visit.flatMap(found -> pages.guard(ctx, found.page()));
        if (refused.isPresent()) {
            form(ctx, visit.get(), visit.get().verification(), refused, false, ctx.statusCode());
            return Optional.empty();
        }
        return visit;
    }

    private Outcome refusal(Context ctx, Page page, ResendResult result) {
        return switch (result.kind()) {
            case TOO_SOON -> {
                long seconds = messages.secondsUntil(((ResendResult.TooSoon) result).retryAt());
                ctx.header("Retry-After", Long.toString(seconds));
                yield new Outcome(429, html.t(page, "resend.too_soon", "seconds", seconds));
            }
            case MAX_SENDS_REACHED -> new Outcome(429, html.t(page, "resend.max"));
            case NOT_PENDING -> {
                Status status =
                        ((ResendResult.NotPending) result).verification().status();
                yield new Outcome(409, messages.status(page, status));
            }
            case RATE_LIMITED -> {
                ResendResult.RateLimited limited = (ResendResult.RateLimited) result;
                yield new Outcome(429, messages.limited(ctx, page, limited.scope(), limited.retryAt()));
            }
            case RECIPIENT_LOCKED ->
                new Outcome(429, messages.locked(ctx, page, ((ResendResult.RecipientLocked) result).until()));
            case RESENT, NOT_FOUND -> throw new IllegalArgumentException(result.kind() + " is not a refusal");
        };
    }

    private void form(Context ctx, Visit visit, Verification v, Outcome refused) {
        form(ctx, visit, v, Optional.of(Message.error(refused.text())), refused.codeInvalid(), refused.status());
    }

    private void form(
            Context ctx, Visit visit, Verification v, Optional<Message> message, boolean codeInvalid, int status) {
        Page page = visit.page();
        StringBuilder main = new StringBuilder()
                .append("<h1>")
                .append(html.e(page, "code.title"))
                .append("</h1>\n")
                .append(deliveryLine(page, v))
                .append(message(message));
        if (v.status() == Status.PENDING) {
            String token = pages.csrf.field(ctx);
            main.append(codeForm(page, visit, v, token, codeInvalid)).append(resendForm(page, visit, v, token));
        }
        main.append("<p><a href=\"/")
                .append(visit.redirect().map(r -> "?" + escape(r.query())).orElse(""))
                .append("\">")
                .append(html.e(page, v.status() == Status.PENDING ? "code.other" : "start.again"))
                .append("</a></p>\n");
        pages.respond(ctx, status, page, html.t(page, "code.title"), main.toString(), true, visit.redirect());
    }

    /**
     * Where the email stands, never "we sent a code" before the mail server has taken it: a person
     * told that waits for an email that is not coming. A failure shows the
     * server's reply, which says nothing of the code.
     */
    private String deliveryLine(Page page, Verification v) {
        Delivery delivery = v.delivery();
        String email = PageHtml.isolated(v.email().masked());
        // The recipient's mail server's own words (a reply code first) are theirs to read; anything
        // else (a connection error, a settings problem) names this service's relay and settings,
        // which an anonymous visitor has no use for.
        String reply = PageHtml.isolated(delivery.lastError()
                .filter(r -> SMTP_REPLY.matcher(r).lookingAt())
                .orElseGet(() -> html.t(page, "code.noreply")));
        String text = switch (delivery.status()) {
            case SENT -> html.e(page, "code.sent", "email", email);
            case QUEUED, SENDING ->
                delivery.attempts() == 0
                        ? html.e(page, "code.sending", "email", email)
                        : html.e(page, "code.retrying", "email", email, "reply", reply);
            case RETRYING -> html.e(page, "code.retrying", "email", email, "reply", reply);
            case FAILED -> html.e(page, "code.failed", "email", email, "reply", reply);
            // The verification's own status (expired, canceled) is the message then.
            case EXPIRED_UNDELIVERED, CANCELED -> "";
        };
        return text.isEmpty()
                ? ""
                : "<p id=\"delivery\" data-delivery=\"" + delivery.status().wireName() + "\">" + text + "</p>\n";
    }

    private String codeForm(Page page, Visit visit, Verification v, String token, boolean codeInvalid) {
        int length = pages.verifier.policy().codeLength();
        return "<form method=\"post\" action=\"" + verifyPath(v.id()) + "\">\n"
                + hidden(PageCsrf.FIELD, token) + redirectFields(visit.redirect())
                + "<label for=\"code\">" + html.e(page, "code.label") + "</label>\n"
                + "<input "
                + PageHtml.codeInputAttributes(pages.verifier.policy().alphabet(), length)
                + " aria-describedby=\"code-hint" + (codeInvalid ? " message\" aria-invalid=\"true\"" : "\"")
                + " autofocus>\n<p id=\"code-hint\" class=\"hint\">"
                + html.e(page, messages.digits() ? "code.hint.digits" : "code.hint.characters", "length", length)
                + "</p>\n"
                + "<p id=\"attempts\" class=\"hint\">" + html.e(page, "code.attempts", "count", v.attemptsRemaining())
                + "</p>\n<button id=\"submit\" type=\"submit\" class=\"wide\">" + html.e(page, "code.submit")
                + "</button>\n</form>\n";
    }

    private String resendForm(Page page, Visit visit, Verification v, String token) {
        if (v.sendsRemaining() == 0) {
            return "<div class=\"resend\"><p id=\"countdown\" class=\"hint\">" + html.e(page, "resend.max")
                    + "</p></div>\n";
        }
        Instant now = pages.clock.instant();
        long left = messages.secondsUntil(v.resendAvailableAt());
        String wait = html.t(page, "resend.wait", "time", "{time}");
        String ready = html.t(page, "resend.ready");
        String text = left > 0
                ? wait.replace("{time}", (left / 60) + ":" + String.format(Locale.ROOT, "%02d", left % 60))
                : ready;
        return """
        <form class="resend" method="post" action="%s/resend">
        %s%s<p id="countdown" class="hint" aria-live="polite" data-resend-at="%s" data-now="%s" data-wait="%s" \
        data-ready="%s">%s</p>
        <button id="resend" type="submit" class="secondary">%s</button>
        </form>
        """.formatted(
                        verifyPath(v.id()),
                        hidden(PageCsrf.FIELD, token),
                        redirectFields(visit.redirect()),
                        Responses.time(v.resendAvailableAt()),
                        Responses.time(now),
                        escape(wait),
                        escape(ready),
                        escape(text),
                        html.e(page, "resend.submit"));
    }
}
