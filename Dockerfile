# syntax=docker/dockerfile:1
# Build: docker build --build-arg PICTOR_COMMIT=$(git rev-parse --short=12 HEAD) -t pictor .
# Run:   docker run -e DISCORD_TOKEN -e TELEGRAM_TOKEN -e AIMLAPI_KEY -p 8080:8080 --stop-timeout 40 \
#          -v ./config:/app/config:ro -v ./bots:/app/bots:ro -v pictor-data:/app/data pictor
# Or:    cp .env.example .env && docker compose up -d --build   (compose.yaml)
# Another port: -e PICTOR_HTTP_PORT=9090 -p 9090:9090; the shipped config and the HEALTHCHECK both follow it.
# On docker stop (SIGTERM) pictor lets running jobs finish for up to shutdown.grace (30s by default); Docker kills it
# after --stop-timeout (10 s unless set), so keep that longer. Compose: stop_grace_period: 40s.

FROM maven:3.9-eclipse-temurin-21 AS build
# the git commit for `pictor --version` and pictor_build_info (.git is not sent to the build)
ARG PICTOR_COMMIT=unknown
WORKDIR /src
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -DskipTests -Dgit.commit.id.abbrev=${PICTOR_COMMIT} package

FROM eclipse-temurin:21-jre
RUN groupadd --system pictor && useradd --system --gid pictor --home-dir /app --shell /usr/sbin/nologin pictor \
    && mkdir -p /app/config /app/bots /app/data && chown -R pictor:pictor /app/data \
    && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/pictor.jar /app/pictor.jar
COPY config/ /app/config/
COPY bots/ /app/bots/
USER pictor
VOLUME ["/app/data"]
# config/pictor.yaml reads http.port from PICTOR_HTTP_PORT and http.bind from PICTOR_HTTP_BIND; the probe follows
ENV PICTOR_HTTP_PORT=8080 PICTOR_HTTP_BIND=0.0.0.0
EXPOSE 8080
# memory for a service that mostly waits (as bin/pictor; docs/benchmarks.md, issue #15): the serial collector and a
# small first heap, two malloc arenas. Compact object headers need a Java 25 runtime. Override with -e. An admin who
# wants another collector, or a largest heap under 16m, sets JAVA_TOOL_OPTIONS whole (-e JAVA_TOOL_OPTIONS=
# "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:+UseZGC"), which replaces these: a collector in
# JDK_JAVA_OPTIONS or the command line beside ours stops the JVM ("Multiple garbage collectors selected"), and -Xmx8m
# beside our -Xms16m does too ("Initial heap size set to a larger value than the maximum heap size").
ENV MALLOC_ARENA_MAX=2
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -Xms16m"
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PICTOR_HTTP_PORT}/healthz" || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-jar", "/app/pictor.jar"]
CMD ["run", "--config", "config/pictor.yaml", "--bots", "bots"]
