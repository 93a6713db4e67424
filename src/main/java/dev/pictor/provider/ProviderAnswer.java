package dev.pictor.provider;

import dev.pictor.core.port.ProviderException;
import dev.pictor.core.port.ProviderImage;
import dev.pictor.core.port.ProviderResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the image entries a dialect read into a {@link ProviderResult}.
 *
 * <p>An entry with an inline image ({@code b64_json}, already decoded by {@link InlineImage}) gives its bytes (the
 * inline image wins when an entry has both it and a URL: no download needed); one with only a URL is left for the
 * core to fetch. <b>Invalid base64</b>, or an entry with neither, is dropped and logged: the answer is then a partial
 * one (the core refunds the missing image). An inline image <b>over the image cap</b> ({@code fetch.max-bytes}) is
 * downloaded from its URL when the entry has one (the fetcher applies the same cap); otherwise it is passed on as
 * {@link ProviderImage#unavailable an image that could not be retrieved}, like a download the fetcher refused. When
 * an answer had entries but <em>none</em> is usable, it is {@link ProviderException.Kind#UNAVAILABLE} (the provider
 * is broken, the next route may serve). An empty list is a valid answer with zero images.
 *
 * <p>Spend: the provider's own figure (e.g. {@code credits_used}) when it gives one, else the configured price per
 * image times the images returned, else null. Cost (in the configured currency): the provider's own figure times its
 * {@code credit-price} when it gives one and the conversion is set, else null (the core then prices the images by the
 * route).
 */
public final class ProviderAnswer {
    private static final Logger log = LoggerFactory.getLogger(ProviderAnswer.class);

    private ProviderAnswer() {
    }

    /** One image entry as a dialect read it, whatever its wire names. */
    public record Entry(String url, InlineImage inline, String mimeType, String revisedPrompt) {
    }

    public static ProviderResult assemble(ProviderHttp http, ProviderHttp.Answer<?> answer, ProviderSettings settings,
                                         List<Entry> entries, Long seed, Double reportedSpend) throws ProviderException {
        var images = new ArrayList<ProviderImage>();
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
                images.add(ProviderImage.ofBytes(inline.bytes(), blankToNull(e.mimeType()), revised));
                continue;
            }
            if (inline != null && inline.oversized() && !hasUrl) {
                log.warn("{}: refused an inline image of {} bytes, over the {} byte limit", settings.name(),
                        inline.decodedSize(), inline.limit());
                images.add(ProviderImage.unavailable(blankToNull(e.mimeType()), revised));
                continue;
            }
            if (inline != null && inline.invalid() && !hasUrl) {
                dropped++;
                log.warn("{}: dropped an image whose base64 is invalid", settings.name());
                continue;
            }
            if (hasUrl) {
                images.add(ProviderImage.ofUrl(e.url().trim(), blankToNull(e.mimeType()), revised));
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
        Double cost = reportedSpend != null && settings.creditPrice() != null ? reportedSpend * settings.creditPrice() : null;
        return new ProviderResult(images, seed, spend, cost);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
