# A CI image for copilot-experiments: debian-slim, git, the release binary and the Copilot
# CLI's native executable — no Node, no Bun. See docs/ci.md ("A CI image").
#
#   docker build -t copilot-experiments --build-arg REPO=your-org/copilot-experiments .
#
# Build arguments: VERSION (default: the latest release), REPO (the GitHub repository that
# publishes the releases), BASE_URL (a mirror of the release files instead), COPILOT_VERSION
# (default: the version the release was tested with), npm_config_registry (an npm mirror).
# Add your tasks' own toolchains (python3, a JDK, …) to the final stage.

ARG DEBIAN_TAG=bookworm-slim

# Fetch: this stage has npm only so install-copilot can ask it for the npm registry (it honours
# npm_config_registry); nothing of it but the two executables reaches the image.
FROM node:22-bookworm-slim AS fetch
ARG VERSION=""
ARG REPO="your-org/copilot-experiments"
ARG BASE_URL=""
ARG COPILOT_VERSION=""
ARG npm_config_registry
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
COPY scripts/install.sh /tmp/install.sh
RUN set -- --prefix /usr/local/bin --repo "$REPO"; \
    [ -n "$VERSION" ] && set -- "$@" --version "$VERSION"; \
    [ -n "$BASE_URL" ] && set -- "$@" --base-url "$BASE_URL"; \
    sh /tmp/install.sh "$@"
# The CLI goes to /opt/copilot-experiments; its runtime is extracted once, here, into /opt/copilot-runtime.
ENV COPILOT_EXPERIMENTS_CACHE=/opt/copilot-experiments \
    COPILOT_PKG_CACHE_HOME=/opt/copilot-runtime
RUN copilot-experiments install-copilot $COPILOT_VERSION

FROM debian:${DEBIAN_TAG}
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates git \
 && rm -rf /var/lib/apt/lists/*
COPY --from=fetch /usr/local/bin/copilot-experiments /usr/local/bin/copilot-experiments
COPY --from=fetch /opt/copilot-experiments /opt/copilot-experiments
COPY --from=fetch /opt/copilot-runtime /opt/copilot-runtime
# Any user may run it (the CLI takes a lock file next to its runtime).
RUN chmod -R a+rwX /opt/copilot-runtime
ENV COPILOT_EXPERIMENTS_CACHE=/opt/copilot-experiments \
    COPILOT_PKG_CACHE_HOME=/opt/copilot-runtime
WORKDIR /experiments
ENTRYPOINT ["copilot-experiments"]
CMD ["doctor"]
