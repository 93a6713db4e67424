package dev.pictor.provider.aimlapi;

import dev.pictor.core.port.ProviderCall;
import dev.pictor.core.port.ProviderException;
import dev.pictor.core.port.ProviderResult;
import dev.pictor.core.port.ImageProvider;
import dev.pictor.provider.BodyDefaults;
import dev.pictor.provider.ProviderAnswer;
import dev.pictor.provider.ProviderClient;
import dev.pictor.provider.ProviderHttp;
import dev.pictor.provider.HttpImageFetcher;
import dev.pictor.provider.ProviderSettings;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code aimlapi} dialect (docs.aimlapi.com, Imagen 3.0 / 4.0 / imagen4 preview pages).
 *
 * <p>Request: {@code model, prompt, num_images, aspect_ratio, seed} (only when given), {@code enhance_prompt,
 * convert_base64_to_url}, and the configured safety fields. Defaults accepted:
 * <ul>
 *   <li>{@code person_generation}: dont_allow | allow_adult</li>
 *   <li>{@code safety_setting}: block_low_and_above | block_medium_and_above | block_only_high</li>
 *   <li>{@code add_watermark}: true | false</li>
 *   <li>{@code convert_base64_to_url}: true (the provider's default: answer with a URL to download) | false (answer
 *       with base64)</li>
 * </ul>
 * Safety fields not configured are not sent (the provider's defaults apply).
 *
 * <p>Answer: {@code data[]} ({@code url} or {@code b64_json}, {@code mime_type}, the enhanced {@code prompt}) with
 * {@code meta.usage.credits_used} as the spend; or {@code images[]} ({@code url, content_type, file_name,
 * file_size}) with the {@code seed} used.
 */
public final class AimlApiProvider implements ImageProvider {
    public static final String DIALECT = "aimlapi";
    static final List<String> DEFAULT_KEYS = List.of("person_generation", "safety_setting", "add_watermark", "convert_base64_to_url");
    static final List<String> PERSON_GENERATION = List.of("dont_allow", "allow_adult");
    static final List<String> SAFETY_SETTING = List.of("block_low_and_above", "block_medium_and_above", "block_only_high");

    private final ProviderSettings settings;
    private final ProviderHttp http;
    private final Options options;

    /** The configured defaults, checked. */
    private record Options(String personGeneration, String safetySetting, Boolean addWatermark, boolean convertBase64ToUrl) {
    }

    public AimlApiProvider(ProviderSettings settings, ProviderClient client) {
        this(settings, client, Clock.systemUTC());
    }

    public AimlApiProvider(ProviderSettings settings, ProviderClient client, Clock clock) {
        this(settings, client, clock, HttpImageFetcher.DEFAULT_MAX_BYTES);
    }

    /** @param maxImageBytes the largest image kept ({@code fetch.max-bytes}); a bigger inline one is refused */
    public AimlApiProvider(ProviderSettings settings, ProviderClient client, Clock clock, long maxImageBytes) {
        this.settings = settings;
        this.options = validate(settings);
        this.http = new ProviderHttp(settings, client, clock, maxImageBytes);
    }

    /** Checks this dialect's defaults; throws an IllegalArgumentException naming the key. */
    public static void checkDefaults(ProviderSettings settings) {
        validate(settings);
    }

    private static Options validate(ProviderSettings settings) {
        var d = BodyDefaults.read(settings, DEFAULT_KEYS);
        Boolean convert = d.bool("convert_base64_to_url");
        return new Options(d.oneOf("person_generation", PERSON_GENERATION), d.oneOf("safety_setting", SAFETY_SETTING),
                d.bool("add_watermark"), convert == null || convert);
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public ProviderResult generate(ProviderCall call) throws ProviderException {
        var request = new AimlApiWire.GenerationRequest(call.model(), call.prompt(), call.count(), call.aspect(),
                call.seed(), call.enhance(), options.convertBase64ToUrl(), options.personGeneration(),
                options.safetySetting(), options.addWatermark());
        var answer = http.post(request, AimlApiWire.GenerationResponse.class, call.count());
        var response = answer.value();

        var entries = new ArrayList<ProviderAnswer.Entry>();
        if (response.data() != null) {
            for (var item : response.data()) {
                entries.add(item == null ? null : new ProviderAnswer.Entry(item.url(), item.b64Json(), item.mimeType(),
                        item.prompt() != null ? item.prompt() : item.revisedPrompt()));
            }
        } else if (response.images() != null) {
            for (var file : response.images()) {
                entries.add(file == null ? null : new ProviderAnswer.Entry(file.url(), null, file.contentType(), null));
            }
        } else {
            throw http.unusable(answer, "the answer has neither data nor images");
        }
        Double credits = response.meta() != null && response.meta().usage() != null
                ? response.meta().usage().creditsUsed() : null;
        // The AIML API takes the seed as documented; when its answer does not echo one, the seed sent is the one used.
        Long seed = response.seed() != null ? response.seed() : call.seed();
        return ProviderAnswer.assemble(http, answer, settings, entries, seed, credits);
    }

    @Override
    public String toString() {
        return "AimlApiProvider[" + settings.name() + " → " + http.endpoint() + "]";
    }
}
