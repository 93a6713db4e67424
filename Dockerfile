# syntax=docker/dockerfile:1
# Build: docker build --build-arg PICTOR_COMMIT=$(git rev-parse --short=12 HEAD) -t pictor .
# Run:   docker run -e DISCORD_TOKEN -e TELEGRAM_TOKEN -e AIMLAPI_KEY -p 8080:8080 --stop-timeout 45 \
#          -v ./config:/app/config:ro -v ./bots:/app/bots:ro -v pictor-data:/app/data pictor
# Or:    cp .env.example .env && docker compose up -d --build   (compose.yaml)
# Another port: -e PICTOR_HTTP_PORT=9090 -p 9090:9090; the shipped config and the HEALTHCHECK both follow it.
# On docker stop (SIGTERM) pictor lets running jobs finish for up to shutdown.grace (30s by default); Docker kills it
# after --stop-timeout (10 s unless set), so keep that longer, by the 5-7 s a first run stopped within its first 10
# minutes takes to write its ahead-of-time cache as it exits (below). Compose: stop_grace_period: 45s.

FROM maven:3.9-eclipse-temurin-21 AS build
# the git commit for `pictor --version` and pictor_build_info (.git is not sent to the build)
ARG PICTOR_COMMIT=unknown
WORKDIR /src
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -DskipTests -Dgit.commit.id.abbrev=${PICTOR_COMMIT} package

# Java 25: pictor targets 21, and on 25 it starts with its ahead-of-time cache and compact object headers (issue #15)
FROM eclipse-temurin:25-jre
RUN groupadd --system pictor && useradd --system --gid pictor --home-dir /app --shell /usr/sbin/nologin pictor \
    && mkdir -p /app/config /app/bots /app/data && chown -R pictor:pictor /app/data \
    && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/pictor.jar /app/pictor.jar
# the launcher: the JVM's memory options and the ahead-of-time cache, as for a jar run by hand
COPY --chmod=755 bin/pictor /app/pictor
COPY config/ /app/config/
COPY bots/ /app/bots/
USER pictor
VOLUME ["/app/data"]
# config/pictor.yaml reads http.port from PICTOR_HTTP_PORT and http.bind from PICTOR_HTTP_BIND; the probe follows
ENV PICTOR_HTTP_PORT=8080 PICTOR_HTTP_BIND=0.0.0.0
EXPOSE 8080
# The launcher (bin/pictor) gives the JVM the options of a service that mostly waits (the parallel collector, a small
# first heap, at most 256 MB of heap (or half the container's memory, if less), two malloc arenas, compact object
# headers, native memory given back, the quick compiler only), leaving out any the admin sets with -e JAVA_OPTS or
# JAVA_TOOL_OPTIONS (a collector of theirs, say: -e JAVA_TOOL_OPTIONS="-XX:+UseZGC"; both compilers:
# -e JAVA_OPTS=-XX:TieredStopAtLevel=4). Its
# ahead-of-time cache lives in the data volume: the first run records it for 10 minutes and then, once no job runs,
# writes it (or when the container stops, if sooner; -e JAVA_OPTS=-Dpictor.aot.training=30m records longer), and
# later starts get ready about twice as fast; a new image records it again. -e PICTOR_AOT_CACHE= turns it off.
# docs/benchmarks.md ("Cold start", issue #15) has the figures.
# Half the container's memory at most for the heap (and never over the launcher's 256 MB): under a steady load pictor
# holds ~120 MB besides its heap (threads, buffers, code, classes; docs/benchmarks.md, issue #15), so that a small
# container (256 MB) is not killed for its memory under load.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError" PICTOR_AOT_CACHE=/app/data/pictor.aot
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PICTOR_HTTP_PORT}/healthz" || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/pictor"]
CMD ["run", "--config", "config/pictor.yaml", "--bots", "bots"]
