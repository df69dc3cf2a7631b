# syntax=docker/dockerfile:1

# ── Build: compile TypeScript, bundle the browser client, then drop development dependencies ────────────────────────────
# Node 24: the current LTS (Node 20 reached end of life on 2026-04-30). The code also runs on
# Node 20.19+, which CI tests.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY business business
COPY platform platform
COPY cmd cmd
# The client core and the browser client (esbuild bundles it into dist/web, served at /client).
COPY client client
RUN npm run build && npm prune --omit=dev

# ── Run: only the compiled code and production dependencies, as a non-root user ──────────────
FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080 4000
# Node handles SIGTERM itself (graceful shutdown), so it can run as PID 1.
# The health check reads PID 1's own flags and environment, so `docker run parley --port 9000`
# or `-e PARLEY_PORT=9000` is checked on the port the server really uses.
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "dist/cmd/server/healthcheck.js", "--pid", "1"]
ENTRYPOINT ["node", "dist/cmd/server/main.js", "--host", "0.0.0.0", "--data-dir", "/data"]
