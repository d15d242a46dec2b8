# The worker (and the CLI, for migrations) as a container, built in two stages so the image holds
# compiled JavaScript and production dependencies only.

# Build: every dependency (TypeScript, webpack through @temporalio/worker), then `npm run build`:
# the production folders compiled to dist/ and the workflow code bundled once, with its manifest.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime: production dependencies, the build's dist/ and the bin/ launcher. No TypeScript
# sources, so bin/inventory.js runs dist/; no tsx, test tooling, simulator or tests.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
USER node
# Healthy means /readyz answers 200 on the metrics listener (METRICS_ADDRESS, default
# 0.0.0.0:9464): the worker polls Temporal and reaches its database. Node's fetch, because the slim
# base image has neither curl nor wget. The migration job, which serves no /readyz, turns it off.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const port = (process.env.METRICS_ADDRESS || ':9464').split(':').pop(); fetch('http://127.0.0.1:' + port + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/inventory.js"]
CMD ["worker"]
