package dev.pictor.provider;

import dev.pictor.core.port.GatewayException;
import dev.pictor.core.port.GatewayImage;
import dev.pictor.core.port.GatewayResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Turns the image entries a dialect read into a {@link GatewayResult}.
 *
 * <p>An entry with base64 is decoded here (base64 wins when an entry has both base64 and a URL: no download
 * needed); one with only a URL is left for the core to fetch. <b>Invalid base64</b>, or an entry with neither, is
 * dropped and logged: the answer is then a partial one (the core refunds the missing image). When an answer had
 * entries but <em>none</em> is usable, it is {@link GatewayException.Kind#UNAVAILABLE} (the gateway is broken, the
 * next route may serve). An empty list is a valid answer with zero images.
 *
 * <p>Spend: the gateway's own figure (e.g. {@code credits_used}) when it gives one, else the configured price per
 * image times the images returned, else null.
 */
public final class GatewayAnswer {
    private static final Logger log = LoggerFactory.getLogger(GatewayAnswer.class);

    private GatewayAnswer() {
    }

    /** One image entry as a dialect read it, whatever its wire names. */
    public record Entry(String url, String b64Json, String mimeType, String revisedPrompt) {
    }

    public static GatewayResult assemble(GatewayHttp http, GatewayHttp.Answer answer, ProviderSettings settings,
                                         List<Entry> entries, Long seed, Double reportedSpend) throws GatewayException {
        var images = new ArrayList<GatewayImage>();
        int dropped = 0;
        for (Entry e : entries) {
            if (e == null) {
                dropped++;
                continue;
            }
            String revised = blankToNull(e.revisedPrompt());
            if (e.b64Json() != null && !e.b64Json().isBlank()) {
                Optional<byte[]> bytes = decodeBase64(e.b64Json());
                if (bytes.isPresent()) {
                    images.add(GatewayImage.ofBytes(bytes.get(), blankToNull(e.mimeType()), revised));
                    continue;
                }
                if (e.url() == null || e.url().isBlank()) {
                    dropped++;
                    log.warn("{}: dropped an image whose base64 is invalid", settings.name());
                    continue;
                }
            }
            if (e.url() != null && !e.url().isBlank()) {
                images.add(GatewayImage.ofUrl(e.url().trim(), blankToNull(e.mimeType()), revised));
            } else {
                dropped++;
                log.warn("{}: dropped an image entry with neither url nor b64_json", settings.name());
            }
        }
        if (images.isEmpty() && dropped > 0) {
            throw http.unusable(answer, dropped + " image entr" + (dropped == 1 ? "y" : "ies")
                    + " without usable url or valid b64_json");
        }
        Double spend = reportedSpend != null ? reportedSpend
                : settings.pricePerImage() != null ? settings.pricePerImage() * images.size() : null;
        return new GatewayResult(images, seed, spend);
    }

    /** Standard or URL-safe base64, padded or not, optionally as a {@code data:…;base64,} URL; empty when invalid. */
    public static Optional<byte[]> decodeBase64(String text) {
        String s = text.strip();
        if (s.startsWith("data:")) {
            int comma = s.indexOf(',');
            if (comma < 0 || !s.substring(0, comma).endsWith(";base64")) return Optional.empty();
            s = s.substring(comma + 1);
        }
        if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) s = s.replaceAll("[\\r\\n]", "");
        if (s.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Base64.getDecoder().decode(s));
        } catch (IllegalArgumentException notStandard) {
            try {
                return Optional.of(Base64.getUrlDecoder().decode(s));
            } catch (IllegalArgumentException notUrlSafe) {
                return Optional.empty();
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
