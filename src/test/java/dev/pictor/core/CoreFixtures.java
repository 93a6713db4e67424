package dev.pictor.core;

import java.util.List;

/** Small catalogs for core tests. */
final class CoreFixtures {
    private CoreFixtures() {
    }

    static final ModelCapabilities IMAGEN = new ModelCapabilities(List.of("1:1", "9:16", "16:9", "3:4", "4:3"), 4, true, 400, true);

    static ModelSpec model(String id, Route... routes) {
        return new ModelSpec(id, id.toUpperCase(), IMAGEN, List.of(routes));
    }

    static ModelCatalog catalog() {
        return new ModelCatalog(List.of(
                model("imagen-4", new Route("a", "google/imagen-4.0-generate-001")),
                model("imagen-3", new Route("a", "imagen-3.0-generate-002"), new Route("b", "imagen-3.0-generate-002")),
                new ModelSpec("tiny", "Tiny", new ModelCapabilities(List.of("1:1"), 1, false, 20, false),
                        List.of(new Route("a", "tiny-1")))), "imagen-4");
    }

    static final Requester ALICE = new Requester(Platform.CLI, "alice", "Alice", "guild-1", "bot", null);
}
