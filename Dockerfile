# syntax=docker/dockerfile:1

# ── Build: compile TypeScript, then drop development dependencies ────────────────────────────
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY business business
COPY platform platform
COPY cmd cmd
RUN npm run build && npm prune --omit=dev

# ── Run: only the compiled code and production dependencies, as a non-root user ──────────────
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=8080
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080 4000
# Node handles SIGTERM itself (graceful shutdown), so it can run as PID 1.
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/ping').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/cmd/server/main.js", "--host", "0.0.0.0", "--data-dir", "/data"]
