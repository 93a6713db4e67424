package dev.pictor.core.port;

import dev.pictor.core.Platform;

import java.util.Locale;
import java.util.Optional;

/**
 * The language a community's admins chose for it (a Discord server, a Telegram group), read for every event from
 * that community whose member's own language pictor does not ship. Empty when none was chosen.
 */
@FunctionalInterface
public interface CommunityLanguages {
    /** No community has a language of its own. */
    CommunityLanguages NONE = (platform, community) -> Optional.empty();

    Optional<Locale> language(Platform platform, String community);
}
