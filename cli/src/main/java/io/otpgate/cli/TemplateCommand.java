package io.otpgate.cli;

import io.otpgate.core.Validated;
import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.id.Purpose;
import io.otpgate.core.verification.LanguageTags;
import io.otpgate.mail.Languages;
import io.otpgate.mail.TemplateComposer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Email templates: {@code otpgate template preview}. */
@Command(
        name = "template",
        mixinStandardHelpOptions = true,
        description = "Work with the email templates.",
        subcommands = TemplateCommand.Preview.class)
final class TemplateCommand implements Runnable {

    @ParentCommand
    Main main;

    @Override
    public void run() {
        picocli.CommandLine.usage(this, main.terminal.out());
    }

    /** Renders the email with a sample code, as a recipient would see it. */
    @Command(
            name = "preview",
            mixinStandardHelpOptions = true,
            description = "Show the subject and text of the email for a locale and purpose, with a sample code;"
                    + " --html writes the HTML part to a file.")
    static final class Preview implements Callable<Integer> {

        @ParentCommand
        TemplateCommand parent;

        @Mixin
        LocaleOption locale;

        @Mixin
        PurposeOption purpose;

        @Option(names = "--html", paramLabel = "FILE", description = "Also write the HTML part to FILE.")
        Path html;

        @Override
        public Integer call() throws IOException {
            Main main = parent.main;
            Terminal t = main.terminal;
            var settings = main.settings();
            Validated<Purpose> parsedPurpose = Purpose.parse(purpose.value);
            Validated<Locale> parsedLocale =
                    locale.value == null ? Validated.valid(settings.defaultLocale()) : LanguageTags.parse(locale.value);
            if (!parsedPurpose.isValid() || !parsedLocale.isValid()) {
                t.warn("otpgate: "
                        + (parsedPurpose instanceof Validated.Invalid<Purpose> p
                                ? p.reason()
                                : ((Validated.Invalid<Locale>) parsedLocale).reason()));
                return Main.USAGE;
            }
            TemplateComposer composer = OtpGate.previewComposer(settings);
            Locale requested = parsedLocale.orElseThrow();
            Locale language = composer.language(requested);
            // Falling back quietly would show the default language under the name of another one.
            if (!language.getLanguage().equals(requested.getLanguage())) {
                t.warn("otpgate: no email strings for '" + requested.toLanguageTag() + "' (its readers get "
                        + language.getDisplayLanguage(Locale.ENGLISH) + "). Shipped languages: "
                        + Languages.SHIPPED.stream().map(Locale::toLanguageTag).collect(Collectors.joining(", "))
                        + "; add others as messages_" + requested.getLanguage()
                        + ".properties in OTPGATE_TEMPLATES_DIR.");
                return Main.USAGE;
            }
            OutgoingEmail email = composer.preview(
                    requested, parsedPurpose.orElseThrow(), settings.policy().codeTtl());
            t.say("Language: " + language.toLanguageTag()
                    + (language.equals(requested) ? "" : " (for " + requested.toLanguageTag() + ")"));
            t.say("Subject: " + email.subject());
            t.say("");
            t.say(email.text());
            if (html != null) {
                Path file = main.resolve(html);
                Files.writeString(file, email.html());
                t.say("HTML part written to " + file);
            }
            return 0;
        }
    }
}
