# syntax=docker/dockerfile:1
# The scoring API image: `docker build -t vigie-api .` (README, "Docker, compose and deployment").

# Production dependencies only. The full image has the compilers better-sqlite3 falls back to without a prebuild.
FROM node:20-bookworm AS deps
WORKDIR /app
# onnxruntime-node's CPU build ships in the package (no CUDA download); the console's Electron and Playwright
# binaries are never needed by the API.
ENV ONNXRUNTIME_NODE_INSTALL=skip \
    npm_config_onnxruntime_node_install=skip \
    ELECTRON_SKIP_BINARY_DOWNLOAD=1 \
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
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
COPY db ./db
COPY electron ./electron
COPY server ./server
COPY bench ./bench
# The committed model packages: the image serves exactly the champion and fallback it was built with.
COPY models ./models
RUN mkdir -p var/logs var/secrets && chown -R node:node var
USER node
EXPOSE 8080
VOLUME ["/app/var/logs"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.VIGIE_PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
STOPSIGNAL SIGTERM
CMD ["node", "bin/vigie.js", "api", "--host", "0.0.0.0"]
