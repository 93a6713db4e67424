package dev.pictor.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What a newcomer writes that looks right and is not: a mistake placed where it was made, the shell's placeholder
 * forms, and values pictor keeps but warns about (never printing a token).
 */
class ConfigDoubtsTest {
    @TempDir
    Path dir;
    ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(dir);
    }

    private List<String> errorsOf(Path config, Map<String, String> env) {
        var e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.of(env).load(config));
        assertThat(e).as("the configuration should have been refused").isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    private List<String> warningsOf(Map<String, String> env) {
        return ConfigLoader.of(env).load(dir.resolve("pictor.yaml"), files.bots()).warnings().stream().map(ConfigError::toString).toList();
    }

    @Test
    void an_unclosed_quote_is_reported_on_the_line_it_was_opened_not_at_the_end_of_the_file() {
        // given a quote opened on line 2 and never closed, and forty more lines after it
        var config = files.config("storage:\n  url: \"jdbc:sqlite:data/pictor.db\n" + "# a comment\n".repeat(40) + "http: {port: 8080}\n");
        // then
        assertThat(errorsOf(config, Map.of())).singleElement().asString()
                .startsWith(config + ": line 2, column 8: not valid YAML: while scanning a quoted scalar that starts here;")
                .contains("at line 44").endsWith("(is a closing quote missing?)");
    }

    @Test
    void a_required_variable_that_is_not_set_is_a_mistake_with_the_admins_own_message_not_a_bad_placeholder() {
        var config = files.config(ConfigFiles.VALID.replace("\"${AIMLAPI_KEY}\"", "\"${AIMLAPI_KEY:?put your AI/ML API key in AIMLAPI_KEY}\""));
        // when unset
        assertThat(errorsOf(config, Map.of())).containsExactly(
                config + ": providers.aimlapi.api-key: AIMLAPI_KEY is not set: put your AI/ML API key in AIMLAPI_KEY");
        // and when empty (":?" means unset or empty)
        assertThat(errorsOf(config, Map.of("AIMLAPI_KEY", ""))).hasSize(1);
        // when set it is the value
        var loaded = ConfigLoader.of(Map.of("AIMLAPI_KEY", "sk-aiml-required-1")).load(config);
        assertThat(loaded.config().providers().get("aimlapi").enabled()).isTrue();
        assertThat(loaded.variablesAt(config.toString(), "providers.aimlapi.api-key")).containsExactly("AIMLAPI_KEY");
    }

    @Test
    void the_shells_forms_without_a_colon_apply_only_when_the_variable_is_unset() {
        var p = Placeholders.of(Map.of("EMPTY", ""));
        assertThat(p.resolve(new com.fasterxml.jackson.databind.node.TextNode("[${EMPTY-d}|${UNSET-d}|${EMPTY:-d}]")).textValue())
                .isEqualTo("[|d|d]");
        assertThat(p.resolve(new com.fasterxml.jackson.databind.node.TextNode("${EMPTY?x}")).textValue()).isEmpty();
        assertThat(p.problems()).isEmpty();
        p.resolve(new com.fasterxml.jackson.databind.node.TextNode("${UNSET?}"));
        assertThat(p.problems()).extracting(Invalid.Problem::message).containsExactly("UNSET is not set");
    }

    @Test
    void a_variable_written_without_braces_is_kept_as_it_is_with_a_warning() {
        files.config(ConfigFiles.VALID.replace("\"${AIMLAPI_KEY}\"", "$AIMLAPI_KEY"));
        files.bot("telegram", "platform: telegram\ntoken: ${TELEGRAM_TOKEN}\n");
        assertThat(warningsOf(Map.of("AIMLAPI_KEY", "sk-aiml-never-read"))).containsExactly(dir.resolve("pictor.yaml")
                + ": providers.aimlapi.api-key: \"$AIMLAPI_KEY\" is used as it is, not read from the environment;"
                + " write ${AIMLAPI_KEY} to use the variable AIMLAPI_KEY");
    }

    @Test
    void a_telegram_file_that_says_discord_is_warned_about_and_so_is_its_telegram_api_url() {
        // given the shipped telegram profile with the platform changed
        files.config(ConfigFiles.VALID);
        files.bot("telegram", "platform: discord\ntoken: ${TELEGRAM_TOKEN}\napi-url: ${TELEGRAM_API_URL:-https://api.telegram.org}\n");
        // when
        var warnings = warningsOf(Map.of("TELEGRAM_TOKEN", "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"));
        // then
        String file = files.bots().resolve("telegram.yaml").toString();
        assertThat(warnings).containsExactly(
                file + ": api-url: https://api.telegram.org is Telegram's Bot API, not Discord's REST API (https://discord.com/api/v10)",
                file + ": platform: is discord in a file named telegram.yaml; is this profile meant to be the telegram bot?",
                file + ": token: looks like a Telegram bot token, not a Discord one");
        assertThat(String.join("\n", warnings)).doesNotContain("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw");
    }

    @Test
    void a_placeholder_token_is_warned_about_without_printing_it_and_real_shapes_are_not() {
        files.config(ConfigFiles.VALID);
        files.bot("telegram", "platform: telegram\ntoken: ${TELEGRAM_TOKEN}\n");
        files.bot("discord", "platform: discord\ntoken: ${DISCORD_TOKEN}\n");
        var warnings = warningsOf(Map.of("TELEGRAM_TOKEN", "paste-token-here", "DISCORD_TOKEN", "paste-token-here"));
        assertThat(warnings).containsExactly(
                files.bots().resolve("discord.yaml") + ": token: does not look like a Discord bot token (three parts joined by dots, from the Developer Portal's Bot page)",
                files.bots().resolve("telegram.yaml") + ": token: does not look like a Telegram bot token (digits, a colon, then about 35 letters, digits, - and _, as BotFather gives it)");
        assertThat(String.join("\n", warnings)).doesNotContain("paste-token-here");
        // tokens of the right shapes pass without a word
        assertThat(warningsOf(Map.of("TELEGRAM_TOKEN", "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
                "DISCORD_TOKEN", "MTA5ODc2NTQzMjEwOTg3NjU0.GhIjKl.aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789ab"))).isEmpty();
    }
}
