package dev.pictor.core.chat;

import dev.pictor.core.Platform;
import dev.pictor.core.Requester;
import dev.pictor.core.port.CommunityLanguages;
import dev.pictor.core.text.Languages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which language a member is answered in, the same on every platform: the member's own (Discord's interaction
 * locale, Telegram's {@code language_code}) when pictor ships it ({@link Languages#supported}); else the language the
 * community's admins chose for it; else the bot profile's {@code language}; else English.
 */
public final class LanguageChoice {
    private static final Logger log = LoggerFactory.getLogger(LanguageChoice.class);
    /** Nothing configured: the member's language when shipped, else English. */
    public static final LanguageChoice MEMBERS_OR_ENGLISH = new LanguageChoice(Map.of(), CommunityLanguages.NONE);

    private final Map<String, Locale> profileDefaults;
    private final CommunityLanguages communities;

    /**
     * @param profileDefaults bot profile name → its {@code language} (profiles without one are left out)
     * @param communities     the languages communities' admins chose
     */
    public LanguageChoice(Map<String, Locale> profileDefaults, CommunityLanguages communities) {
        this.profileDefaults = Map.copyOf(profileDefaults);
        this.communities = Objects.requireNonNull(communities, "communities");
    }

    /** The language to answer {@code who} in, whose client says {@code memberTag} (null when it says nothing). */
    public Locale of(String memberTag, Requester who) {
        Optional<Locale> own = Languages.supported(memberTag);
        if (own.isPresent()) return own.get();
        return communityDefault(who);
    }

    /** The language of the bot profile {@code profile} ({@code language}), else English. */
    public Locale botDefault(String profile) {
        Locale l = profile == null ? null : profileDefaults.get(profile);
        return l != null ? l : Languages.ENGLISH;
    }

    /** The language of {@code who}'s community (chosen by its admins, else the bot profile's), else English. */
    public Locale communityDefault(Requester who) {
        return who == null ? Languages.ENGLISH : communityDefault(who.platform(), who.communityId(), who.botProfile());
    }

    /** The language of {@code community} (null: none) on {@code platform}, else the bot profile's, else English. */
    public Locale communityDefault(Platform platform, String community, String profile) {
        if (community != null) {
            try {
                Optional<Locale> chosen = communities.language(platform, community);
                if (chosen.isPresent()) return chosen.get();
            } catch (RuntimeException e) { // the storage is down: the bot's default still answers
                log.warn("could not read the language of {}:{}: {}", platform.id(), community, e.toString());
            }
        }
        return botDefault(profile);
    }
}
