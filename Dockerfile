# syntax=docker/dockerfile:1
#
# Kingdom's production image: one image, two processes.
#   API:    docker run -p 4000:4000 -e DATABASE_URL=... -e JWT_SECRET=... -e CURSOR_SECRET=... kingdom  (CMD)
#   worker: docker run -e DATABASE_URL=... kingdom node dist/worker.js                      (background tasks)
# docker-compose.yml runs both beside a Postgres. The API applies the committed migrations at start-up, so the
# image carries migrations/ and .gmrc, and schema/ (the SDL is read at start-up, it is not compiled in), and the
# trusted documents manifest (persisted-query-manifest.json, read at start-up unless TRUSTED_DOCUMENTS=off).
# tests/unit/deployment-files.test.ts checks these invariants, since Docker is not part of `npm test`.

# --- build: every dependency, TypeScript compiled to dist/ ---------------------------------------------------------
FROM node:24-slim AS build
WORKDIR /app
# The lock file first: this layer (the slow one) is rebuilt only when dependencies change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- runtime: production dependencies, the compiled code, the SDL and the migrations -------------------------------
FROM node:24-slim AS runtime
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY .gmrc ./
COPY schema ./schema
COPY persisted-query-manifest.json ./
COPY migrations ./migrations
COPY --from=build /app/dist ./dist
# Everything above belongs to root and is only readable by the process: it cannot rewrite its own code.
USER node
EXPOSE 4000
# Liveness only (no database): /readyz is the readiness probe for an orchestrator. No curl in the image: node's fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# Exec form: node is PID 1 and receives SIGTERM itself, so it drains in-flight requests and exits 0.
CMD ["node", "dist/main.js"]
