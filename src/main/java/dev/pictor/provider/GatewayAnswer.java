package dev.pictor.provider;

import dev.pictor.core.port.GatewayException;
import dev.pictor.core.port.GatewayImage;
import dev.pictor.core.port.GatewayResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the image entries a dialect read into a {@link GatewayResult}.
 *
 * <p>An entry with an inline image ({@code b64_json}, already decoded by {@link InlineImage}) gives its bytes (the
 * inline image wins when an entry has both it and a URL: no download needed); one with only a URL is left for the
 * core to fetch. <b>Invalid base64</b>, or an entry with neither, is dropped and logged: the answer is then a partial
 * one (the core refunds the missing image). An inline image <b>over the image cap</b> ({@code fetch.max-bytes}) is
 * downloaded from its URL when the entry has one (the fetcher applies the same cap); otherwise it is passed on as
 * {@link GatewayImage#unavailable an image that could not be retrieved}, like a download the fetcher refused. When
 * an answer had entries but <em>none</em> is usable, it is {@link GatewayException.Kind#UNAVAILABLE} (the gateway
 * is broken, the next route may serve). An empty list is a valid answer with zero images.
 *
 * <p>Spend: the gateway's own figure (e.g. {@code credits_used}) when it gives one, else the configured price per
 * image times the images returned, else null.
 */
public final class GatewayAnswer {
    private static final Logger log = LoggerFactory.getLogger(GatewayAnswer.class);

    private GatewayAnswer() {
    }

    /** One image entry as a dialect read it, whatever its wire names. */
    public record Entry(String url, InlineImage inline, String mimeType, String revisedPrompt) {
    }

    public static GatewayResult assemble(GatewayHttp http, GatewayHttp.Answer<?> answer, ProviderSettings settings,
                                         List<Entry> entries, Long seed, Double reportedSpend) throws GatewayException {
        var images = new ArrayList<GatewayImage>();
        int dropped = 0;
        for (Entry e : entries) {
            if (e == null) {
                dropped++;
                continue;
            }
            String revised = blankToNull(e.revisedPrompt());
            boolean hasUrl = e.url() != null && !e.url().isBlank();
            InlineImage inline = e.inline();
            if (inline != null && inline.bytes() != null) {
                images.add(GatewayImage.ofBytes(inline.bytes(), blankToNull(e.mimeType()), revised));
                continue;
            }
            if (inline != null && inline.oversized() && !hasUrl) {
                log.warn("{}: refused an inline image of {} bytes, over the {} byte limit", settings.name(),
                        inline.decodedSize(), inline.limit());
                images.add(GatewayImage.unavailable(blankToNull(e.mimeType()), revised));
                continue;
            }
            if (inline != null && inline.invalid() && !hasUrl) {
                dropped++;
                log.warn("{}: dropped an image whose base64 is invalid", settings.name());
                continue;
            }
            if (hasUrl) {
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

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
