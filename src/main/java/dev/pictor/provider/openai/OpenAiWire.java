package dev.pictor.provider.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.pictor.provider.InlineImage;

import java.util.List;

/** The OpenAI-compatible images JSON as TheTurbo and Lumenfall document it; private to this dialect. */
final class OpenAiWire {
    private OpenAiWire() {
    }

    /** {@code POST /v1/images/generations}; null fields are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GenerationRequest(
            @JsonProperty("model") String model,
            @JsonProperty("prompt") String prompt,
            @JsonProperty("n") int n,
            @JsonProperty("aspect_ratio") String aspectRatio,
            @JsonProperty("size") String size,
            @JsonProperty("resolution") String resolution,
            @JsonProperty("response_format") String responseFormat,
            @JsonProperty("output_format") String outputFormat,
            @JsonProperty("output_compression") Integer outputCompression,
            @JsonProperty("style") String style) {
    }

    /** {@code {created, data:[{url | b64_json, revised_prompt}]}}. */
    record GenerationResponse(
            @JsonProperty("created") Long created,
            @JsonProperty("data") List<DataItem> data) {
    }

    record DataItem(
            @JsonProperty("url") String url,
            @JsonProperty("b64_json") InlineImage b64Json,
            @JsonProperty("revised_prompt") String revisedPrompt,
            @JsonProperty("mime_type") String mimeType) {
    }
}
