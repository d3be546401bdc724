package io.otpgate.server;

import static io.otpgate.server.PageHtml.hidden;
import static io.otpgate.server.PageHtml.message;
import static io.otpgate.server.Pages.escape;

import io.javalin.http.Context;
import io.otpgate.core.Validated;
import io.otpgate.core.code.LinkTokens;
import io.otpgate.core.code.OneTimeCode;
import io.otpgate.core.limit.Limited;
import io.otpgate.core.limit.RateLimit;
import io.otpgate.core.limit.RateLimiter;
import io.otpgate.core.policy.Policy;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.ResendResult;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Status;
import io.otpgate.core.verification.Verification;
import io.otpgate.core.verification.VerificationId;
import io.otpgate.core.verification.Verifier;
import io.otpgate.server.PageHtml.Message;
import io.otpgate.server.PageHtml.Page;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The hosted verification pages: {@code /} (address) → {@code /verify/{id}} (code) →
 * {@code /verify/{id}/done}, and {@code /confirm/{id}/{token}} for the email's link.
 *
 * <p>Every page works without JavaScript; every POST carries a CSRF field and counts against a
 * per-IP limit; every step follows Post/Redirect/Get, so reloading never submits twice. The
 * confirm link's GET changes nothing, because mail scanners open links: only the button's POST
 * spends the code, through the same check as typing it.
 */
final class HostedPages {

  static final int MAX_EMAIL = 320;
  static final int MAX_NAME = 200;
  private static final int MAX_CODE = 64;
  private static final Duration IP_WINDOW = Duration.ofMinutes(10);

  private final Verifier verifier;
  private final Clock clock;
  private final ServerSettings settings;
  private final RateLimiter rateLimiter;
  private final LinkTokens linkTokens;
  private final PageCsrf csrf;
  private final PageLocale locales;
  private final PageHtml html;
  private final ClientIp clientIp;
  private final RedirectUris redirects;
  private final Policy policy;

  HostedPages(Verifier verifier, Clock clock, ServerSettings settings, RateLimiter rateLimiter,
      LinkTokens linkTokens, PageCsrf csrf, PageLocale locales, PageHtml html, ClientIp clientIp) {
    this.verifier = verifier;
    this.clock = clock;
    this.settings = settings;
    this.rateLimiter = rateLimiter;
    this.linkTokens = linkTokens;
    this.csrf = csrf;
    this.locales = locales;
    this.html = html;
    this.clientIp = clientIp;
    this.redirects = RedirectUris.of(settings.redirectUris());
    this.policy = verifier.policy();
  }

  // ---- start ----

  void startPage(Context ctx) {
    Optional<Optional<RedirectUris.Redirect>> redirect = redirect(ctx, ctx.queryParam("redirect_uri"),
        ctx.queryParam("state"));
    if (redirect.isEmpty()) {
      return;
    }
    startForm(ctx, redirect.get(), "", "", Optional.empty(), 200);
  }

  void start(Context ctx) {
    String email = Optional.ofNullable(ctx.formParam("email")).orElse("");
    String name = Optional.ofNullable(ctx.formParam("name")).orElse("");
    Optional<Optional<RedirectUris.Redirect>> found = redirect(ctx, ctx.formParam("redirect_uri"),
        ctx.formParam("state"));
    if (found.isEmpty()) {
      return;
    }
    Optional<RedirectUris.Redirect> redirect = found.get();
    Page page = page(ctx, "/", redirect);
    if (!csrf.accepts(ctx)) {
      startForm(ctx, redirect, email, name, Optional.of(Message.error(html.t(page, "error.csrf"))), 403);
      return;
    }
    if (email.length() > MAX_EMAIL || name.length() > MAX_NAME) {
      startForm(ctx, redirect, cut(email, MAX_EMAIL), cut(name, MAX_NAME),
          Optional.of(Message.error(html.t(page, "error.too_long"))), 400);
      return;
    }
    RateLimit perIp = new RateLimit("ip", ip(ctx), settings.ipStartLimit(), IP_WINDOW);
    StartResult result = verifier.start(StartRequest.of(email)
        .withName(name.isBlank() ? null : name)
        .withLocale(page.locale().toLanguageTag())
        .withLimits(List.of(perIp)));
    if (result instanceof StartResult.Started started) {
      ctx.redirect(verifyPath(started.verification().id()) + redirect.map(r -> "?" + r.query()).orElse(""), 
          io.javalin.http.HttpStatus.SEE_OTHER);
      return;
    }
    int status = 400;
    String text;
    if (result instanceof StartResult.InvalidEmail) {
      text = html.t(page, "error.email");
    } else if (result instanceof StartResult.InvalidField) {
      text = html.t(page, "error.name");
    } else if (result instanceof StartResult.RateLimited limited) {
      status = 429;
      text = limitText(ctx, page, limited.scope(), limited.retryAt());
    } else {
      status = 429;
      text = lockedText(ctx, page, ((StartResult.RecipientLocked) result).until());
    }
    startForm(ctx, redirect, email, name, Optional.of(Message.error(text)), status);
  }

  private void startForm(Context ctx, Optional<RedirectUris.Redirect> redirect, String email, String name,
      Optional<Message> message, int status) {
    Page page = page(ctx, "/", redirect);
    boolean emailInvalid = message.isPresent() && status != 403;
    String main = """
        <h1>%s</h1>
        <p>%s</p>
        %s<form method="post" action="/start" novalidate>
        %s%s<label for="email">%s</label>
        <input id="email" name="email" type="email" autocomplete="email" required maxlength="%d" \
        value="%s"%s>
        <label for="name">%s</label>
        <input id="name" name="name" type="text" autocomplete="name" maxlength="%d" value="%s">
        <button id="submit" type="submit" class="wide">%s</button>
        </form>
        """.formatted(html.e(page, "start.title"), html.e(page, "start.intro"), message(message),
        hidden(PageCsrf.FIELD, csrf.field(ctx)), redirectFields(redirect), html.e(page, "start.email"), MAX_EMAIL,
        escape(email), emailInvalid ? " aria-invalid=\"true\" aria-describedby=\"message\" autofocus" : "",
        html.e(page, "start.name"), MAX_NAME, escape(name), html.e(page, "start.submit"));
    respond(ctx, status, page, html.t(page, "start.title"), main, true, redirect);
  }

  // ---- code ----

  void codePage(Context ctx) {
    Optional<Verification> found = find(ctx);
    Optional<Optional<RedirectUris.Redirect>> redirect = redirect(ctx, ctx.queryParam("redirect_uri"),
        ctx.queryParam("state"));
    if (found.isEmpty() || redirect.isEmpty()) {
      return;
    }
    Verification v = found.get();
    Page page = page(ctx, verifyPath(v.id()), redirect.get());
    if (v.status() == Status.APPROVED) {
      ctx.redirect(donePath(v.id(), redirect.get()), io.javalin.http.HttpStatus.SEE_OTHER);
      return;
    }
    Optional<Message> message = v.status() == Status.PENDING
        ? Optional.ofNullable(ctx.queryParam("sent")).map(s -> Message.info(html.t(page, "resend.sent")))
        : Optional.of(Message.error(statusText(page, v.status())));
    codeForm(ctx, v, redirect.get(), message, false, 200);
  }

  void check(Context ctx) {
    Optional<Verification> found = find(ctx);
    Optional<Optional<RedirectUris.Redirect>> redirect = redirect(ctx, ctx.formParam("redirect_uri"),
        ctx.formParam("state"));
    if (found.isEmpty() || redirect.isEmpty()) {
      return;
    }
    Verification v = found.get();
    Page page = page(ctx, verifyPath(v.id()), redirect.get());
    Optional<Message> refused = guard(ctx, page);
    if (refused.isPresent()) {
      codeForm(ctx, v, redirect.get(), refused, false, ctx.statusCode());
      return;
    }
    String code = Optional.ofNullable(ctx.formParam("code")).orElse("");
    CheckResult result = verifier.check(v.id(), code.length() > MAX_CODE ? code.substring(0, MAX_CODE) : strip(code));
    if (result instanceof CheckResult.Approved) {
      ctx.redirect(redirect.get().map(r -> r.destination(v.id().value())).orElse(donePath(v.id(), Optional.empty())),
          io.javalin.http.HttpStatus.SEE_OTHER);
      return;
    }
    Verification now = verifier.find(v.id()).orElse(v);
    if (result instanceof CheckResult.Incorrect incorrect) {
      codeForm(ctx, now, redirect.get(), Optional.of(Message.error(html.t(page, "check.incorrect", "count",
          incorrect.verification().attemptsRemaining()))), true, 400);
    } else if (result instanceof CheckResult.InvalidFormat) {
      codeForm(ctx, now, redirect.get(), Optional.of(Message.error(formatText(page))), true, 400);
    } else {
      Outcome outcome = outcome(ctx, page, result);
      codeForm(ctx, now, redirect.get(), Optional.of(Message.error(outcome.text())), false, outcome.status());
    }
  }

  void resend(Context ctx) {
    Optional<Verification> found = find(ctx);
    Optional<Optional<RedirectUris.Redirect>> redirect = redirect(ctx, ctx.formParam("redirect_uri"),
        ctx.formParam("state"));
    if (found.isEmpty() || redirect.isEmpty()) {
      return;
    }
    Verification v = found.get();
    Page page = page(ctx, verifyPath(v.id()), redirect.get());
    Optional<Message> refused = guard(ctx, page);
    if (refused.isPresent()) {
      codeForm(ctx, v, redirect.get(), refused, false, ctx.statusCode());
      return;
    }
    ResendResult result = verifier.resend(v.id());
    if (result instanceof ResendResult.Resent) {
      ctx.redirect(verifyPath(v.id()) + "?sent=1" + redirect.get().map(r -> "&" + r.query()).orElse(""),
          io.javalin.http.HttpStatus.SEE_OTHER);
      return;
    }
    String text;
    int status = 429;
    if (result instanceof ResendResult.TooSoon tooSoon) {
      long seconds = secondsUntil(tooSoon.retryAt());
      ctx.header("Retry-After", Long.toString(seconds));
      text = html.t(page, "resend.too_soon", "seconds", seconds);
    } else if (result instanceof ResendResult.MaxSendsReached) {
      text = html.t(page, "resend.max");
    } else if (result instanceof ResendResult.NotPending notPending) {
      status = 409;
      text = statusText(page, notPending.verification().status());
    } else if (result instanceof ResendResult.RateLimited limited) {
      text = limitText(ctx, page, limited.scope(), limited.retryAt());
    } else if (result instanceof ResendResult.RecipientLocked locked) {
      text = lockedText(ctx, page, locked.until());
    } else {
      notFound(ctx);
      return;
    }
    codeForm(ctx, verifier.find(v.id()).orElse(v), redirect.get(), Optional.of(Message.error(text)), false, status);
  }

  private void codeForm(Context ctx, Verification v, Optional<RedirectUris.Redirect> redirect,
      Optional<Message> message, boolean codeInvalid, int status) {
    Page page = page(ctx, verifyPath(v.id()), redirect);
    StringBuilder main = new StringBuilder()
        .append("<h1>").append(html.e(page, "code.title")).append("</h1>\n")
        .append("<p>").append(html.e(page, "code.sent", "email", "\u2068" + v.email().masked() + "\u2069"))
        .append("</p>\n").append(message(message));
    if (v.status() == Status.PENDING) {
      String hintKey = policy.alphabet() == io.otpgate.core.code.Alphabet.DIGITS
          ? "code.hint.digits" : "code.hint.characters";
      String token = csrf.field(ctx);
      main.append("<form method=\"post\" action=\"").append(verifyPath(v.id())).append("\">\n")
          .append(hidden(PageCsrf.FIELD, token)).append(redirectFields(redirect))
          .append("<label for=\"code\">").append(html.e(page, "code.label")).append("</label>\n")
          .append("<input ").append(PageHtml.codeInputAttributes(policy.alphabet(), policy.codeLength()))
          .append(" aria-describedby=\"code-hint").append(codeInvalid ? " message\" aria-invalid=\"true\"" : "\"")
          .append(" autofocus>\n<p id=\"code-hint\" class=\"hint\">")
          .append(html.e(page, hintKey, "length", policy.codeLength())).append("</p>\n")
          .append("<p id=\"attempts\" class=\"hint\">")
          .append(html.e(page, "code.attempts", "count", v.attemptsRemaining())).append("</p>\n")
          .append("<button id=\"submit\" type=\"submit\" class=\"wide\">").append(html.e(page, "code.submit"))
          .append("</button>\n</form>\n");
      main.append(resendForm(ctx, page, v, redirect, token));
    }
    main.append("<p><a href=\"/").append(redirect.map(r -> "?" + escape(r.query())).orElse("")).append("\">")
        .append(html.e(page, v.status() == Status.PENDING ? "code.other" : "start.again")).append("</a></p>\n");
    respond(ctx, status, page, html.t(page, "code.title"), main.toString(), true, redirect);
  }

  private String resendForm(Context ctx, Page page, Verification v, Optional<RedirectUris.Redirect> redirect,
      String token) {
    if (v.sendsRemaining() == 0) {
      return "<div class=\"resend\"><p id=\"countdown\" class=\"hint\">" + html.e(page, "resend.max") + "</p></div>\n";
    }
    Instant now = clock.instant();
    long left = Math.max(0, secondsUntil(v.resendAvailableAt()));
    String wait = html.t(page, "resend.wait", "time", "{time}");
    String ready = html.t(page, "resend.ready");
    String text = left > 0 ? wait.replace("{time}", (left / 60) + ":" + String.format(Locale.ROOT, "%02d", left % 60))
        : ready;
    return """
        <form class="resend" method="post" action="%s/resend">
        %s%s<p id="countdown" class="hint" aria-live="polite" data-resend-at="%s" data-now="%s" data-wait="%s" \
        data-ready="%s">%s</p>
        <button id="resend" type="submit" class="secondary">%s</button>
        </form>
        """.formatted(verifyPath(v.id()), hidden(PageCsrf.FIELD, token), redirectFields(redirect),
        Responses.time(v.resendAvailableAt()), Responses.time(now), escape(wait), escape(ready), escape(text),
        html.e(page, "resend.submit"));
  }

  // ---- done ----

  void done(Context ctx) {
    Optional<Verification> found = find(ctx);
    Optional<Optional<RedirectUris.Redirect>> redirect = redirect(ctx, ctx.queryParam("redirect_uri"),
        ctx.queryParam("state"));
    if (found.isEmpty() || redirect.isEmpty()) {
      return;
    }
    Verification v = found.get();
    if (v.status() != Status.APPROVED) {
      ctx.redirect(verifyPath(v.id()) + redirect.get().map(r -> "?" + r.query()).orElse(""),
          io.javalin.http.HttpStatus.SEE_OTHER);
      return;
    }
    Page page = page(ctx, verifyPath(v.id()) + "/done", redirect.get());
    String main = "<h1>" + html.e(page, "done.title") + "</h1>\n<div id=\"success\" class=\"message success\""
        + " role=\"status\">" + html.e(page, "done.text", "email", "\u2068" + v.email().masked() + "\u2069")
        + "</div>\n" + redirect.get().map(r -> "<p><a id=\"continue\" class=\"button wide\" href=\""
            + escape(r.destination(v.id().value())) + "\">" + html.e(page, "done.continue") + "</a></p>\n").orElse("");
    respond(ctx, 200, page, html.t(page, "done.title"), main, false, redirect.get());
  }

  // ---- the email's link ----

  void confirmPage(Context ctx) {
    Optional<Verification> found = find(ctx);
    if (found.isEmpty()) {
      return;
    }
    Verification v = found.get();
    Page page = page(ctx, confirmPath(v.id(), ctx.pathParam("token")), Optional.empty());
    if (v.status() == Status.APPROVED) {
      ctx.redirect(donePath(v.id(), Optional.empty()), io.javalin.http.HttpStatus.SEE_OTHER);
      return;
    }
    if (v.status() != Status.PENDING) {
      confirmMessage(ctx, page, v, statusText(page, v.status()), 200);
      return;
    }
    Optional<OneTimeCode> code = linkTokens.open(v.id(), ctx.pathParam("token"));
    if (code.isEmpty()) {
      confirmMessage(ctx, page, v, html.t(page, "confirm.invalid"), 400);
      return;
    }
    code.get().wipe(); // looking is free: only the POST below spends it
    confirmForm(ctx, page, v, Optional.empty(), 200);
  }

  void confirm(Context ctx) {
    Optional<Verification> found = find(ctx);
    if (found.isEmpty()) {
      return;
    }
    Verification v = found.get();
    String token = ctx.pathParam("token");
    Page page = page(ctx, confirmPath(v.id(), token), Optional.empty());
    Optional<Message> refused = guard(ctx, page);
    if (refused.isPresent()) {
      confirmForm(ctx, page, v, refused, ctx.statusCode());
      return;
    }
    Optional<OneTimeCode> code = linkTokens.open(v.id(), token);
    if (code.isEmpty()) {
      confirmMessage(ctx, page, v, html.t(page, "confirm.invalid"), 400);
      return;
    }
    CheckResult result;
    try {
      result = verifier.check(v.id(), code.get().reveal());
    } finally {
      code.get().wipe();
    }
    if (result instanceof CheckResult.Approved) {
      ctx.redirect(donePath(v.id(), Optional.empty()), io.javalin.http.HttpStatus.SEE_OTHER);
    } else if (result instanceof CheckResult.Incorrect || result instanceof CheckResult.InvalidFormat) {
      // The link carries the code it was sent with; a miss means a newer code replaced it.
      confirmMessage(ctx, page, v, html.t(page, "confirm.stale"), 410);
    } else {
      Outcome outcome = outcome(ctx, page, result);
      confirmMessage(ctx, page, v, outcome.text(), outcome.status());
    }
  }

  private void confirmForm(Context ctx, Page page, Verification v, Optional<Message> message, int status) {
    String main = """
        <h1>%s</h1>
        %s<p>%s</p>
        <form method="post" action="%s">
        %s<button id="confirm" type="submit" class="wide">%s</button>
        </form>
        <p><a href="%s">%s</a></p>
        """.formatted(html.e(page, "confirm.title"), message(message),
        html.e(page, "confirm.text", "email", "\u2068" + v.email().masked() + "\u2069"), escape(page.path()),
        hidden(PageCsrf.FIELD, csrf.field(ctx)), html.e(page, "confirm.submit"), verifyPath(v.id()),
        html.e(page, "confirm.enter_code"));
    respond(ctx, status, page, html.t(page, "confirm.title"), main, false, Optional.empty());
  }

  private void confirmMessage(Context ctx, Page page, Verification v, String text, int status) {
    String main = "<h1>" + html.e(page, "confirm.title") + "</h1>\n" + message(Optional.of(Message.error(text)))
        + "<p><a id=\"code-page\" href=\"" + verifyPath(v.id()) + "\">" + html.e(page, "confirm.enter_code")
        + "</a></p>\n";
    respond(ctx, status, page, html.t(page, "confirm.title"), main, false, Optional.empty());
  }

  // ---- shared ----

  /** Whether a path belongs to the pages (answered in HTML) rather than the API (JSON). */
  static boolean isPage(String path) {
    return path.equals("/") || path.equals("/start") || path.startsWith("/verify/") || path.startsWith("/confirm/");
  }

  /** A page for a failure outside the flow (a body too large, a bug): what to do, and a reference. */
  void error(Context ctx, int status, String reference) {
    Page page = page(ctx, "/", Optional.empty());
    String main = "<h1>" + html.e(page, "error.title") + "</h1>\n"
        + message(Optional.of(Message.error(html.t(page, "error.text", "reference", reference))))
        + "<p><a href=\"/\">" + html.e(page, "start.again") + "</a></p>\n";
    respond(ctx, status, page, html.t(page, "error.title"), main, false, Optional.empty());
  }

  /** CSRF, then the per-IP limit on checks; a refusal sets the status and says why. */
  private Optional<Message> guard(Context ctx, Page page) {
    if (!csrf.accepts(ctx)) {
      ctx.status(403);
      return Optional.of(Message.error(html.t(page, "error.csrf")));
    }
    RateLimit perIp = new RateLimit("ip_check", ip(ctx), settings.ipCheckLimit(), IP_WINDOW);
    Optional<Limited> limited = rateLimiter.take(List.of(perIp), clock.instant());
    if (limited.isPresent()) {
      ctx.status(429);
      return Optional.of(Message.error(limitText(ctx, page, "ip", limited.get().retryAt())));
    }
    return Optional.empty();
  }

  private record Outcome(int status, String text) {}

  private Outcome outcome(Context ctx, Page page, CheckResult result) {
    if (result instanceof CheckResult.RecipientLocked locked) {
      return new Outcome(429, lockedText(ctx, page, locked.until()));
    }
    if (result instanceof CheckResult.Expired) {
      return new Outcome(410, html.t(page, "check.expired"));
    }
    if (result instanceof CheckResult.Exhausted) {
      return new Outcome(403, html.t(page, "check.exhausted"));
    }
    if (result instanceof CheckResult.Canceled) {
      return new Outcome(409, html.t(page, "check.canceled"));
    }
    if (result instanceof CheckResult.AlreadyApproved) {
      return new Outcome(409, html.t(page, "check.approved"));
    }
    return new Outcome(404, html.t(page, "notfound.text"));
  }

  private String statusText(Page page, Status status) {
    return switch (status) {
      case EXPIRED -> html.t(page, "check.expired");
      case FAILED -> html.t(page, "check.exhausted");
      case CANCELED -> html.t(page, "check.canceled");
      case APPROVED -> html.t(page, "check.approved");
      case PENDING -> "";
    };
  }

  private String formatText(Page page) {
    String key = policy.alphabet() == io.otpgate.core.code.Alphabet.DIGITS
        ? "check.format.digits" : "check.format.characters";
    return html.t(page, key, "length", policy.codeLength());
  }

  private String limitText(Context ctx, Page page, String scope, Instant retryAt) {
    long seconds = secondsUntil(retryAt);
    ctx.header("Retry-After", Long.toString(seconds));
    String key = RateLimit.RECIPIENT.equals(scope) ? "error.recipient_limited" : "error.rate_limited";
    return html.t(page, key, "minutes", Math.max(1, (seconds + 59) / 60));
  }

  private String lockedText(Context ctx, Page page, Instant until) {
    long seconds = secondsUntil(until);
    ctx.header("Retry-After", Long.toString(seconds));
    return html.t(page, "error.locked", "minutes", Math.max(1, (seconds + 59) / 60));
  }

  /**
   * The redirect a request carries: empty inside when there is none, empty outside when it is
   * refused (and the refusal page is already written).
   */
  private Optional<Optional<RedirectUris.Redirect>> redirect(Context ctx, String uri, String state) {
    if (uri == null || uri.isEmpty()) {
      return Optional.of(Optional.empty());
    }
    Optional<RedirectUris.Redirect> accepted = redirects.accept(uri, state == null || state.isEmpty() ? null : state);
    if (accepted.isPresent()) {
      return Optional.of(accepted);
    }
    Page page = page(ctx, "/", Optional.empty());
    String main = "<h1>" + html.e(page, "redirect.title") + "</h1>\n"
        + message(Optional.of(Message.error(html.t(page, "redirect.text"))));
    respond(ctx, 400, page, html.t(page, "redirect.title"), main, false, Optional.empty());
    return Optional.empty();
  }

  private Optional<Verification> find(Context ctx) {
    Validated<VerificationId> id = VerificationId.parse(ctx.pathParam("id"));
    Optional<Verification> found = id.isValid() ? verifier.find(id.orElseThrow()) : Optional.empty();
    if (found.isEmpty()) {
      notFound(ctx);
    }
    return found;
  }

  private void notFound(Context ctx) {
    Page page = page(ctx, "/", Optional.empty());
    String main = "<h1>" + html.e(page, "notfound.title") + "</h1>\n<p>" + html.e(page, "notfound.text")
        + "</p>\n<p><a href=\"/\">" + html.e(page, "start.again") + "</a></p>\n";
    respond(ctx, 404, page, html.t(page, "notfound.title"), main, false, Optional.empty());
  }

  private Page page(Context ctx, String path, Optional<RedirectUris.Redirect> redirect) {
    Locale locale = ctx.attribute("otpgate.pageLocale");
    if (locale == null) {
      locale = locales.choose(ctx);
      ctx.attribute("otpgate.pageLocale", locale);
    }
    return new Page(locale, path, redirect.map(RedirectUris.Redirect::query).orElse(""));
  }

  private void respond(Context ctx, int status, Page page, String title, String main, boolean showDev,
      Optional<RedirectUris.Redirect> redirect) {
    PageHeaders.apply(ctx, redirect.map(RedirectUris.Redirect::origin));
    ctx.status(status).contentType("text/html; charset=utf-8").result(html.document(page, title, main, showDev));
  }

  private static String redirectFields(Optional<RedirectUris.Redirect> redirect) {
    return redirect.map(r -> hidden("redirect_uri", r.uri()) + r.state().map(s -> hidden("state", s)).orElse(""))
        .orElse("");
  }

  /** Codes are pasted as "123 456" or "123-456" (or with Unicode dashes): keep what counts. */
  static String strip(String code) {
    return code.replaceAll("[\\s\\p{Pd}\\u2212\\u00a0]", "");
  }

  private static String cut(String text, int max) {
    return text.length() > max ? text.substring(0, max) : text;
  }

  private String ip(Context ctx) {
    return clientIp.resolve(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"));
  }

  private long secondsUntil(Instant then) {
    long millis = Duration.between(clock.instant(), then).toMillis();
    return Math.max(0, (millis + 999) / 1000);
  }

  private static String verifyPath(VerificationId id) {
    return "/verify/" + id.value();
  }

  private static String donePath(VerificationId id, Optional<RedirectUris.Redirect> redirect) {
    return verifyPath(id) + "/done" + redirect.map(r -> "?" + r.query()).orElse("");
  }

  private static String confirmPath(VerificationId id, String token) {
    return "/confirm/" + id.value() + "/" + token;
  }
}
