# The scoring API image (docs/operations.md): `podman build --format docker -t vigie-api .` or
# `docker build -t vigie-api .`; `npm run check:container` builds and runs it end to end.
# No `# syntax=` line on purpose: it makes BuildKit fetch a frontend image, which fails on an offline builder.
# The base images are build arguments so that a machine with no registry can build them locally
# (scripts/container-base.sh: Debian packages plus the host's Node).
ARG NODE_BUILD_IMAGE=node:20-bookworm
ARG NODE_RUNTIME_IMAGE=node:20-bookworm-slim

# Production dependencies only. The full image has the compilers better-sqlite3 falls back to without a prebuild.
FROM ${NODE_BUILD_IMAGE} AS deps
WORKDIR /app
# onnxruntime-node's CPU build ships in the package (no CUDA download); the console's Electron and Playwright
# binaries are never needed by the API. node-gyp finds the headers of the image's Node in /usr/local (no download).
ENV ONNXRUNTIME_NODE_INSTALL=skip \
    npm_config_onnxruntime_node_install=skip \
    ELECTRON_SKIP_BINARY_DOWNLOAD=1 \
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    npm_config_nodedir=/usr/local
COPY package.json package-lock.json .npmrc ./
# Then drop what the API never loads: onnxruntime-node's binaries for other systems and CPUs (about 220 MB),
# better-sqlite3's sources and compiler output beside the one .node file it loads (about 25 MB), Electron's stub.
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && arch="$(node -p process.arch)" \
 && for dir in node_modules/onnxruntime-node/bin/napi-v*; do \
      find "$dir" -mindepth 1 -maxdepth 1 ! -name linux -exec rm -rf {} + ; \
      find "$dir/linux" -mindepth 1 -maxdepth 1 ! -name "$arch" -exec rm -rf {} + ; \
    done \
 && cd node_modules/better-sqlite3 \
 && find build -mindepth 1 ! -path build/Release ! -path build/Release/better_sqlite3.node -exec rm -rf {} + \
 && rm -rf deps src binding.gyp \
 && cd /app && rm -rf node_modules/electron node_modules/.bin/electron \
 && test -f node_modules/better-sqlite3/build/Release/better_sqlite3.node \
 && node -e "require('better-sqlite3')(':memory:').close(); require('onnxruntime-node')"

FROM ${NODE_RUNTIME_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    VIGIE_HOST=0.0.0.0 \
    VIGIE_PORT=8080 \
    VIGIE_MODELS_DIR=/app/models \
    VIGIE_LOG_DIR=/app/var/logs \
    VIGIE_API_KEY_FILE=/app/var/secrets/api-key \
    VIGIE_HASH_KEY_FILE=/app/var/secrets/hash-key
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json tsconfig.base.json ./
COPY bin ./bin
COPY cli ./cli
COPY core ./core
COPY console-api ./console-api
COPY db ./db
COPY electron ./electron
COPY server ./server
COPY bench ./bench
# The committed model packages: the image serves exactly the champion and fallback it was built with.
COPY models ./models
# Generated keys live in their own volume, so a recreated container keeps its hash key (and every applicant_ref).
RUN mkdir -p var/logs var/secrets && chown 1000:1000 var/logs var/secrets && chmod 0700 var/secrets
# Numeric, so Kubernetes' runAsNonRoot can check it.
USER 1000:1000
EXPOSE 8080
VOLUME ["/app/var/logs", "/app/var/secrets"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.VIGIE_PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
STOPSIGNAL SIGTERM
CMD ["node", "bin/vigie.js", "api", "--host", "0.0.0.0"]
