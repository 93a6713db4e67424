package dev.pictor.provider.openai;

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
import java.util.regex.Pattern;

/**
 * The {@code openai} dialect: OpenAI-compatible image providers such as TheTurbo and Lumenfall.
 *
 * <p>Request: {@code model, prompt, n, aspect_ratio, response_format, output_format}, plus {@code size},
 * {@code resolution}, {@code output_compression} and {@code style} when configured. No seed is sent (these pages
 * document none). Headers: {@code Authorization: Bearer …}, {@code Content-Type} and {@code Accept:
 * application/json}. Defaults accepted:
 * <ul>
 *   <li>{@code response_format}: b64_json (default; the only one TheTurbo supports, and no download needed) | url</li>
 *   <li>{@code output_format}: png (default) | jpeg | gif | webp | avif</li>
 *   <li>{@code size}: a pixel size {@code WxH} sent with every request, or {@code aspect} to send each request's
 *       aspect ratio as {@code size} too (Lumenfall reads {@code "16:9"} there)</li>
 *   <li>{@code resolution}: a tier such as 1K, 2K, 4K (Lumenfall)</li>
 *   <li>{@code output_compression}: 0–100, for lossy formats (Lumenfall)</li>
 *   <li>{@code style}: photograph | digital_art | landscape | sketch | watercolor | cyberpunk | pop_art (TheTurbo,
 *       imagegeneration@002 only)</li>
 * </ul>
 *
 * <p>Answer: {@code data[]} with {@code url} or {@code b64_json} and maybe {@code revised_prompt}. The spend is the
 * configured price per image times the images returned (these providers report none).
 */
public final class OpenAiProvider implements ImageProvider {
    public static final String DIALECT = "openai";
    static final List<String> DEFAULT_KEYS = List.of("response_format", "output_format", "size", "resolution",
            "output_compression", "style");
    static final List<String> RESPONSE_FORMATS = List.of("b64_json", "url");
    static final List<String> OUTPUT_FORMATS = List.of("png", "jpeg", "gif", "webp", "avif");
    static final List<String> STYLES = List.of("photograph", "digital_art", "landscape", "sketch", "watercolor",
            "cyberpunk", "pop_art");
    static final String SIZE_FROM_ASPECT = "aspect";
    private static final Pattern SIZE = Pattern.compile("[1-9]\\d{1,4}x[1-9]\\d{1,4}|[1-9]\\d?:[1-9]\\d?|" + SIZE_FROM_ASPECT);
    private static final Pattern RESOLUTION = Pattern.compile("[1-9]\\d?K");

    private final ProviderSettings settings;
    private final ProviderHttp http;
    private final Options options;

    private record Options(String responseFormat, String outputFormat, String size, String resolution,
                           Integer outputCompression, String style) {
    }

    public OpenAiProvider(ProviderSettings settings, ProviderClient client) {
        this(settings, client, Clock.systemUTC());
    }

    public OpenAiProvider(ProviderSettings settings, ProviderClient client, Clock clock) {
        this(settings, client, clock, HttpImageFetcher.DEFAULT_MAX_BYTES);
    }

    /** @param maxImageBytes the largest image kept ({@code fetch.max-bytes}); a bigger inline one is refused */
    public OpenAiProvider(ProviderSettings settings, ProviderClient client, Clock clock, long maxImageBytes) {
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
        String responseFormat = d.oneOf("response_format", RESPONSE_FORMATS);
        String outputFormat = d.oneOf("output_format", OUTPUT_FORMATS);
        return new Options(responseFormat != null ? responseFormat : "b64_json", outputFormat != null ? outputFormat : "png",
                d.matching("size", SIZE, "a size like 1024x1024, an aspect like 16:9, or 'aspect'"),
                d.matching("resolution", RESOLUTION, "a tier like 1K, 2K or 4K"),
                d.integer("output_compression", 0, 100),
                d.oneOf("style", STYLES));
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public ProviderResult generate(ProviderCall call) throws ProviderException {
        String size = SIZE_FROM_ASPECT.equals(options.size()) ? call.aspect() : options.size();
        var request = new OpenAiWire.GenerationRequest(call.model(), call.prompt(), call.count(), call.aspect(), size,
                options.resolution(), options.responseFormat(), options.outputFormat(), options.outputCompression(),
                options.style());
        var answer = http.post(request, OpenAiWire.GenerationResponse.class, call.count());
        var response = answer.value();
        if (response.data() == null) throw http.unusable(answer, "the answer has no data");
        var entries = new ArrayList<ProviderAnswer.Entry>();
        for (var item : response.data()) {
            entries.add(item == null ? null : new ProviderAnswer.Entry(item.url(), item.b64Json(), item.mimeType(), item.revisedPrompt()));
        }
        return ProviderAnswer.assemble(http, answer, settings, entries, null, null);
    }

    @Override
    public String toString() {
        return "OpenAiProvider[" + settings.name() + " → " + http.endpoint() + "]";
    }
}
