package io.otpgate.server.pages;

import static io.otpgate.server.pages.HostedPages.carrying;
import static io.otpgate.server.pages.HostedPages.donePath;
import static io.otpgate.server.pages.HostedPages.seeOther;
import static io.otpgate.server.pages.HostedPages.verifyPath;
import static io.otpgate.server.pages.PageHtml.section;

import io.javalin.http.Context;
import io.otpgate.core.delivery.Delivery;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.ResendResult;
import io.otpgate.core.verification.Status;
import io.otpgate.core.verification.Verification;
import io.otpgate.server.Json;
import io.otpgate.server.pages.HostedPages.Visit;
import io.otpgate.server.pages.PageHtml.Hidden;
import io.otpgate.server.pages.PageHtml.Layout;
import io.otpgate.server.pages.PageHtml.Link;
import io.otpgate.server.pages.PageHtml.Message;
import io.otpgate.server.pages.PageHtml.Page;
import io.otpgate.server.pages.PageMessages.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code /verify/{id}}: the code field, the attempts left, and "send a new code" with a countdown
 * to the verification's {@code resend_available_at}; then {@code /verify/{id}/done}.
 */
public final class CodePage {

    private static final Pattern SMTP_REPLY = Pattern.compile("[245]\\d\\d[ -]");

    private final HostedPages pages;
    private final PageHtml html;
    private final PageMessages messages;

    private record View(
            Layout layout, List<DeliveryLine> delivery, List<Message> message, List<CodeForm> form, Back back) {}

    /** Where the email stands, as {@code data-delivery} and a sentence. */
    private record DeliveryLine(String status, String text) {}

    /** The code field and the resend form (they share {@code action} and {@code hidden}); only while pending. */
    private record CodeForm(
            String action,
            List<Hidden> hidden,
            String label,
            int maxLength,
            String pattern,
            boolean invalid,
            String hint,
            String attempts,
            String submit,
            Resend resend) {}

    /** "Send a new code" with its countdown, or ({@code available} false) only why there is none. */
    private record Resend(
            boolean available, String resendAt, String now, String waiting, String ready, String text, String submit) {
        static Resend exhausted(String text) {
            return new Resend(false, "", "", "", "", text, "");
        }
    }

    private record DoneView(Layout layout, String text, List<Link> next) {}

    /** The link back to the start page, carrying the redirect. */
    private record Back(String query, String text) {}

    public CodePage(HostedPages pages) {
        this.pages = pages;
        this.html = pages.html;
        this.messages = pages.messages;
    }

    public void show(Context ctx) {
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

    public void check(Context ctx) {
        guarded(ctx).ifPresent(visit -> check(ctx, visit));
    }

    public void resend(Context ctx) {
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

    public void done(Context ctx) {
        pages.visit(ctx, HostedPages::donePath).ifPresent(visit -> {
            Verification v = visit.verification();
            if (v.status() != Status.APPROVED) {
                seeOther(ctx, carrying(verifyPath(v.id()), visit.redirect(), '?'));
                return;
            }
            Page page = visit.page();
            Optional<Link> next = visit.redirect()
                    .map(r -> new Link("continue", r.destination(v.id().value()), html.t(page, "done.continue")));
            DoneView view = new DoneView(
                    html.layout(page, "done.title", false),
                    html.t(
                            page,
                            "done.text",
                            "email",
                            PageHtml.isolated(v.email().masked())),
                    section(next));
            pages.respond(ctx, 200, "done", view, visit.redirect());
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
        List<CodeForm> codeForm =
                v.status() == Status.PENDING ? List.of(codeForm(ctx, page, visit, v, codeInvalid)) : List.of();
        Back back = new Back(
                visit.redirect().map(r -> "?" + r.query()).orElse(""),
                html.t(page, v.status() == Status.PENDING ? "code.other" : "start.again"));
        View view = new View(
                html.layout(page, "code.title", true),
                section(deliveryLine(page, v)),
                section(message),
                codeForm,
                back);
        pages.respond(ctx, status, "code", view, visit.redirect());
    }

    /**
     * Where the email stands, never "we sent a code" before the mail server has taken it: a person
     * told that waits for an email that is not coming. A failure shows the
     * server's reply, which says nothing of the code.
     */
    private Optional<DeliveryLine> deliveryLine(Page page, Verification v) {
        Delivery delivery = v.delivery();
        String email = PageHtml.isolated(v.email().masked());
        // The recipient's mail server's own words (a reply code first) are theirs to read; anything
        // else (a connection error, a settings problem) names this service's relay and settings,
        // which an anonymous visitor has no use for.
        String reply = PageHtml.isolated(delivery.lastError()
                .filter(r -> SMTP_REPLY.matcher(r).lookingAt())
                .orElseGet(() -> html.t(page, "code.noreply")));
        Optional<String> text = switch (delivery.status()) {
            case SENT -> Optional.of(html.t(page, "code.sent", "email", email));
            case QUEUED, SENDING ->
                Optional.of(
                        delivery.attempts() == 0
                                ? html.t(page, "code.sending", "email", email)
                                : html.t(page, "code.retrying", "email", email, "reply", reply));
            case RETRYING -> Optional.of(html.t(page, "code.retrying", "email", email, "reply", reply));
            case FAILED -> Optional.of(html.t(page, "code.failed", "email", email, "reply", reply));
            // The verification's own status (expired, canceled) is the message then.
            case EXPIRED_UNDELIVERED, CANCELED -> Optional.empty();
        };
        return text.map(t -> new DeliveryLine(delivery.status().wireName(), t));
    }

    /**
     * The code field, with room for a separator after every character ({@link
     * PageHtml#codePattern}), and the resend form.
     */
    private CodeForm codeForm(Context ctx, Page page, Visit visit, Verification v, boolean codeInvalid) {
        int length = pages.verifier.policy().codeLength();
        return new CodeForm(
                verifyPath(v.id()),
                pages.hiddenFields(ctx, visit.redirect()),
                html.t(page, "code.label"),
                2 * length,
                PageHtml.codePattern(pages.verifier.policy().alphabet(), length),
                codeInvalid,
                html.t(page, messages.digits() ? "code.hint.digits" : "code.hint.characters", "length", length),
                html.t(page, "code.attempts", "count", v.attemptsRemaining()),
                html.t(page, "code.submit"),
                resend(page, v));
    }

    private Resend resend(Page page, Verification v) {
        if (v.sendsRemaining() == 0) {
            return Resend.exhausted(html.t(page, "resend.max"));
        }
        Instant now = pages.clock.instant();
        long left = messages.secondsUntil(v.resendAvailableAt());
        String wait = html.t(page, "resend.wait", "time", "{time}");
        String ready = html.t(page, "resend.ready");
        String text = left > 0
                ? wait.replace("{time}", (left / 60) + ":" + String.format(Locale.ROOT, "%02d", left % 60))
                : ready;
        return new Resend(
                true,
                Json.time(v.resendAvailableAt()),
                Json.time(now),
                wait,
                ready,
                text,
                html.t(page, "resend.submit"));
    }
}
