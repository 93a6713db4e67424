package dev.pictor.provider.aimlapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.pictor.provider.InlineImage;

import java.util.List;

/** The AIML API's JSON, as its documentation pages show it; private to this dialect. */
final class AimlApiWire {
    private AimlApiWire() {
    }

    /** {@code POST /v1/images/generations}; null fields are left out (the provider's defaults apply). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GenerationRequest(
            @JsonProperty("model") String model,
            @JsonProperty("prompt") String prompt,
            @JsonProperty("num_images") int numImages,
            @JsonProperty("aspect_ratio") String aspectRatio,
            @JsonProperty("seed") Long seed,
            @JsonProperty("enhance_prompt") boolean enhancePrompt,
            @JsonProperty("convert_base64_to_url") boolean convertBase64ToUrl,
            @JsonProperty("person_generation") String personGeneration,
            @JsonProperty("safety_setting") String safetySetting,
            @JsonProperty("add_watermark") Boolean addWatermark) {
    }

    /**
     * Either {@code {data:[…], meta:{usage:{credits_used}}}} (imagen-3.0/4.0) or {@code {images:[…], seed}}
     * (google/imagen4/preview).
     */
    record GenerationResponse(
            @JsonProperty("data") List<DataItem> data,
            @JsonProperty("meta") Meta meta,
            @JsonProperty("images") List<ImageFile> images,
            @JsonProperty("seed") Long seed) {
    }

    /** One image of {@code data[]}: a URL or base64, its type, and the enhanced prompt. */
    record DataItem(
            @JsonProperty("url") String url,
            @JsonProperty("b64_json") InlineImage b64Json,
            @JsonProperty("mime_type") String mimeType,
            @JsonProperty("prompt") String prompt,
            @JsonProperty("revised_prompt") String revisedPrompt) {
    }

    record Meta(@JsonProperty("usage") Usage usage) {
    }

    record Usage(@JsonProperty("credits_used") Double creditsUsed) {
    }

    /** One image of {@code images[]} (imagen4 preview). */
    record ImageFile(
            @JsonProperty("url") String url,
            @JsonProperty("content_type") String contentType,
            @JsonProperty("file_name") String fileName,
            @JsonProperty("file_size") Long fileSize) {
    }
}
