# The worker (and the CLI, for migrations) as a container. No build step: tsx runs the
# TypeScript sources, exactly as in development and tests.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY . .
USER node
ENTRYPOINT ["node", "bin/inventory.js"]
CMD ["worker"]
