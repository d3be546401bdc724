package io.otpgate.server.pages;

import static io.otpgate.server.pages.HostedPages.donePath;
import static io.otpgate.server.pages.HostedPages.seeOther;
import static io.otpgate.server.pages.HostedPages.verifyPath;
import static io.otpgate.server.pages.PageHtml.section;

import io.javalin.http.Context;
import io.otpgate.core.code.LinkTokens;
import io.otpgate.core.code.OneTimeCode;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.Status;
import io.otpgate.core.verification.Verification;
import io.otpgate.server.pages.PageHtml.Hidden;
import io.otpgate.server.pages.PageHtml.Layout;
import io.otpgate.server.pages.PageHtml.Link;
import io.otpgate.server.pages.PageHtml.Message;
import io.otpgate.server.pages.PageHtml.Page;
import io.otpgate.server.pages.PageMessages.Outcome;
import java.util.List;
import java.util.Optional;

/**
 * {@code /confirm/{id}/{token}}, the email's link. Its GET changes nothing, because mail scanners
 * open links: only the button's POST spends the code the token carries, through the same check as
 * typing it. The path holds the token, so it is never logged (the access log has route templates).
 */
public final class ConfirmPage {

    private final HostedPages pages;
    private final PageHtml html;
    private final LinkTokens linkTokens;

    private record View(
            Layout layout,
            List<Message> message,
            String text,
            String action,
            List<Hidden> hidden,
            String submit,
            String codePath,
            String enterCode) {}

    public ConfirmPage(HostedPages pages, LinkTokens linkTokens) {
        this.pages = pages;
        this.html = pages.html;
        this.linkTokens = linkTokens;
    }

    public void show(Context ctx) {
        pages.find(ctx).ifPresent(v -> show(ctx, v, page(ctx, v)));
    }

    public void confirm(Context ctx) {
        pages.find(ctx).ifPresent(v -> confirm(ctx, v, page(ctx, v)));
    }

    private void show(Context ctx, Verification v, Page page) {
        if (v.status() == Status.APPROVED) {
            seeOther(ctx, donePath(v.id()));
        } else if (v.status() != Status.PENDING) {
            refuse(ctx, page, v, pages.messages.status(page, v.status()), 200);
        } else {
            Optional<OneTimeCode> code = linkTokens.open(v.id(), ctx.pathParam("token"));
            code.ifPresent(OneTimeCode::wipe); // looking is free: only the POST spends it
            if (code.isEmpty()) {
                refuse(ctx, page, v, html.t(page, "confirm.invalid"), 400);
            } else {
                form(ctx, page, v, Optional.empty(), 200);
            }
        }
    }

    private void confirm(Context ctx, Verification v, Page page) {
        Optional<Message> refused = pages.guard(ctx, page);
        if (refused.isPresent()) {
            form(ctx, page, v, refused, ctx.statusCode());
            return;
        }
        Optional<OneTimeCode> code = linkTokens.open(v.id(), ctx.pathParam("token"));
        if (code.isEmpty()) {
            refuse(ctx, page, v, html.t(page, "confirm.invalid"), 400);
            return;
        }
        CheckResult result;
        try {
            result = pages.verifier.check(v.tenant(), v.id(), code.get().reveal());
        } finally {
            code.get().wipe();
        }
        answer(ctx, page, v, result);
    }

    private void answer(Context ctx, Page page, Verification v, CheckResult result) {
        Optional<Outcome> refused = switch (result.kind()) {
            case APPROVED -> Optional.empty();
            // The link carries the code it was sent with; a miss means a newer code replaced it.
            case INCORRECT, INVALID_FORMAT -> Optional.of(new Outcome(410, html.t(page, "confirm.stale")));
            case EXPIRED, EXHAUSTED, CANCELED, ALREADY_APPROVED, NOT_FOUND, RECIPIENT_LOCKED ->
                Optional.of(pages.messages.outcome(ctx, page, result));
        };
        if (refused.isEmpty()) {
            seeOther(ctx, donePath(v.id()));
        } else {
            refuse(ctx, page, v, refused.get().text(), refused.get().status());
        }
    }

    private Page page(Context ctx, Verification v) {
        String path = "/confirm/" + v.id().value() + "/" + ctx.pathParam("token");
        // A confirm link never carries a redirect; one in its query is ignored, never refused.
        return pages.page(ctx, path, Optional.empty());
    }

    private void form(Context ctx, Page page, Verification v, Optional<Message> message, int status) {
        View view = new View(
                html.layout(page, "confirm.title", false),
                section(message),
                html.t(
                        page,
                        "confirm.text",
                        "email",
                        PageHtml.isolated(v.email().masked())),
                page.path(),
                pages.hiddenFields(ctx, Optional.empty()),
                html.t(page, "confirm.submit"),
                verifyPath(v.id()),
                html.t(page, "confirm.enter_code"));
        pages.respond(ctx, status, "confirm", view, Optional.empty());
    }

    private void refuse(Context ctx, Page page, Verification v, String text, int status) {
        Link codePage = new Link("code-page", verifyPath(v.id()), html.t(page, "confirm.enter_code"));
        pages.notice(ctx, status, page, "confirm.title", text, Optional.of(codePage));
    }
}
