package dev.pictor.telegram;

import dev.pictor.core.Platform;

import dev.pictor.core.Requester;
import dev.pictor.core.chat.LanguageChoice;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.chat.Chat;

import java.util.Locale;

/** Who is asking, in the core's terms: the Telegram user, and the group as the community (none in a private chat). */
final class Members {
    static final Platform PLATFORM = Platform.TELEGRAM;

    private Members() {
    }

    static Requester requester(User user, Chat chat, String botProfile) {
        String community = chat != null && isGroup(chat) ? String.valueOf(chat.getId()) : null;
        return new Requester(PLATFORM, String.valueOf(user.getId()), displayName(user), community, botProfile, null);
    }

    /**
     * The language everything said to {@code user} is written in: the one place a Telegram update's language is
     * decided. The user's {@code language_code} (an IETF tag such as {@code pt-br}) when pictor ships it, else the
     * group's language chosen by its admins, else the bot profile's, else English ({@link LanguageChoice}).
     *
     * @param who the requester built from the same update ({@link #requester}), whose group and bot are asked next
     */
    static Locale locale(User user, Requester who, LanguageChoice languages) {
        return languages.of(user == null ? null : user.getLanguageCode(), who);
    }

    static boolean isGroup(Chat chat) {
        return "group".equals(chat.getType()) || "supergroup".equals(chat.getType());
    }

    static String displayName(User user) {
        if (user.getUserName() != null && !user.getUserName().isBlank()) return "@" + user.getUserName();
        String name = user.getFirstName() == null ? "" : user.getFirstName();
        if (user.getLastName() != null) name = (name + " " + user.getLastName()).strip();
        return name.isBlank() ? String.valueOf(user.getId()) : name;
    }
}
