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
ENTRYPOINT ["node", "bin/inventory.js"]
CMD ["worker"]
