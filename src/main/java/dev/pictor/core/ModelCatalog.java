package dev.pictor.core;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The models members may choose from, in the order the configuration lists them, and the default one. */
public final class ModelCatalog {
    private final Map<String, ModelSpec> byId;
    private final List<ModelSpec> inOrder;
    private final ModelSpec defaultModel;

    public ModelCatalog(Collection<ModelSpec> models, String defaultModelId) {
        var index = new LinkedHashMap<String, ModelSpec>();
        for (ModelSpec m : models) {
            if (index.put(key(m.id()), m) != null) {
                throw new IllegalArgumentException("model " + m.id() + " is listed twice");
            }
        }
        this.byId = Map.copyOf(index);
        this.inOrder = List.copyOf(index.values());
        this.defaultModel = index.get(key(defaultModelId));
        if (defaultModel == null) {
            throw new IllegalArgumentException("default model " + defaultModelId + " is not in the catalog");
        }
    }

    private static String key(String id) {
        return id.trim().toLowerCase(Locale.ROOT);
    }

    /** Looks a model up by id, ignoring case and surrounding blanks. */
    public Optional<ModelSpec> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(key(id)));
    }

    public ModelSpec defaultModel() {
        return defaultModel;
    }

    /** Every model, in configuration order. */
    public List<ModelSpec> all() {
        return inOrder;
    }

    /**
     * Rebuilds a recorded request against this catalog. A model since removed from the configuration is replaced by
     * the default model, with the options it cannot take brought within its capabilities (its default aspect, at most
     * its image count, no seed or enhancement it does not support), so that Re-roll still works.
     */
    public ImagineRequest restore(Requester who, String prompt, String modelId, String aspect, int count, Long seed,
                                  boolean enhance) {
        Optional<ModelSpec> known = find(modelId);
        if (known.isPresent()) return new ImagineRequest(who, prompt, known.get(), aspect, count, seed, enhance);
        ModelCapabilities caps = defaultModel.capabilities();
        return new ImagineRequest(who, prompt, defaultModel,
                caps.aspectRatios().contains(aspect) ? aspect : caps.defaultAspect(),
                Math.min(count, caps.maxImages()), caps.seed() ? seed : null, enhance && caps.enhance());
    }
}
