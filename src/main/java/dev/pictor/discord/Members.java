package dev.pictor.discord;

import dev.pictor.core.Platform;

import dev.pictor.core.Requester;
import dev.pictor.core.chat.LanguageChoice;
import net.dv8tion.jda.api.interactions.DiscordLocale;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.Role;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;
import net.dv8tion.jda.api.events.interaction.GenericInteractionCreateEvent;
import net.dv8tion.jda.api.interactions.Interaction;
import net.dv8tion.jda.api.utils.data.DataObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;

/**
 * Who is behind an interaction, as the core and the permission checks need it. Reads only what the interaction
 * carries (and the cached guild), so it is safe and cheap on the event thread.
 */
final class Members {
    private static final Logger log = LoggerFactory.getLogger(Members.class);
    static final Platform PLATFORM = Platform.DISCORD;

    private final DiscordBotSettings settings;
    private final LanguageChoice languages;

    Members(DiscordBotSettings settings, LanguageChoice languages) {
        this.settings = settings;
        this.languages = languages;
    }

    /**
     * The requester: the member, the server as community only when pictor is installed there (a user-installed
     * pictor used in someone else's server charges no server pool), and the plan the member's roles give.
     */
    Requester requester(Interaction i) {
        Member m = i.getMember();
        String name = m != null ? m.getEffectiveName() : i.getUser().getEffectiveName();
        String community = i.isFromAttachedGuild() ? i.getGuild().getId() : null;
        return new Requester(PLATFORM, i.getUser().getId(), name, community, settings.name(), rolePlan(i));
    }

    /**
     * The language every answer to this interaction is written in: the one place a Discord event's language is
     * decided. The member's client language (the interaction's {@code locale}) when pictor ships it, else the
     * server's language chosen by its admins, else the bot profile's, else English ({@link LanguageChoice}).
     */
    Locale locale(Interaction i) {
        DiscordLocale own = i.getUserLocale();
        return languages.of(own == null || own == DiscordLocale.UNKNOWN ? null : own.getLocale(), requester(i));
    }

    /** The language of the server (or the bot) a member is told something in outside an interaction. */
    Locale communityLocale(Requester who) {
        return languages.communityDefault(who);
    }

    /** The first configured role plan whose role (by id or, ignoring case, by name) the member has; else null. */
    String rolePlan(Interaction i) {
        if (settings.rolePlans().isEmpty() || !i.isFromAttachedGuild() || i.getMember() == null) return null;
        var roles = i.getMember().getRoles();
        for (Map.Entry<String, String> e : settings.rolePlans().entrySet()) {
            for (Role r : roles) {
                if (r.getId().equals(e.getKey()) || r.getName().equalsIgnoreCase(e.getKey())) return e.getValue();
            }
        }
        return null;
    }

    /** What a member may change with {@code /pictor}, from the narrowest to the widest. */
    enum AdminScope {
        /** Nothing. */
        NONE,
        /** What belongs to the server the interaction comes from (its pool): Manage Server there, pictor installed. */
        SERVER,
        /** Everything, in every server (members' plans, grants, resets, blocks): listed in the profile's admins. */
        BOT
    }

    /**
     * The member's admin scope for this interaction: {@link AdminScope#BOT} for the profile's admins (by the user id
     * Discord puts on the interaction), {@link AdminScope#SERVER} for Manage Server in the server the interaction
     * comes from where pictor is installed, else {@link AdminScope#NONE}. Never read from an option's value.
     */
    AdminScope adminScope(Interaction i) {
        if (settings.adminUserIds().contains(i.getUser().getId())) return AdminScope.BOT;
        boolean manager = i.isFromAttachedGuild() && i.getMember() != null && has(i.getMember(), null, Permission.MANAGE_SERVER);
        return manager ? AdminScope.SERVER : AdminScope.NONE;
    }

    /** May delete others' results here: Manage Messages in this channel (or a profile admin). */
    boolean isModerator(Interaction i) {
        if (settings.adminUserIds().contains(i.getUser().getId())) return true;
        if (!i.isFromAttachedGuild() || i.getMember() == null) return false;
        return has(i.getMember(), i.getGuildChannel(), Permission.MESSAGE_MANAGE);
    }

    private static boolean has(Member m, GuildChannel channel, Permission p) {
        try {
            return channel != null ? m.hasPermission(channel, p) : m.hasPermission(p);
        } catch (RuntimeException e) { // a channel or member JDA could not resolve: no permission
            log.debug("permission check failed: {}", e.toString());
            return false;
        }
    }

    /**
     * The largest file this interaction may upload: Discord's {@code attachment_size_limit} on the interaction,
     * or 10 MiB when it is absent. Needs the raw event data (JDA's event passthrough).
     */
    static long attachmentLimit(GenericInteractionCreateEvent event) {
        DataObject raw = event.getRawData();
        if (raw == null) return UploadFitter.DEFAULT_FILE_LIMIT;
        DataObject d = raw.hasKey("d") && !raw.isNull("d") ? raw.getObject("d") : raw;
        long limit = d.getLong("attachment_size_limit", UploadFitter.DEFAULT_FILE_LIMIT);
        return limit > 0 ? limit : UploadFitter.DEFAULT_FILE_LIMIT;
    }
}
