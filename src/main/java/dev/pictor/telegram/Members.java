package dev.pictor.telegram;

import dev.pictor.core.Platform;

import dev.pictor.core.Requester;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.chat.Chat;

/** Who is asking, in the core's terms: the Telegram user, and the group as the community (none in a private chat). */
final class Members {
    static final Platform PLATFORM = Platform.TELEGRAM;

    private Members() {
    }

    static Requester requester(User user, Chat chat, String botProfile) {
        String community = chat != null && isGroup(chat) ? String.valueOf(chat.getId()) : null;
        return new Requester(PLATFORM, String.valueOf(user.getId()), displayName(user), community, botProfile, null);
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
