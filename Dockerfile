# syntax=docker/dockerfile:1
#
# One image for both product processes. TypeScript runs directly through the `tsx` loader
# (a runtime dependency), so there is no build step:
#   API (default):  node --import tsx api/main.ts
#   worker:         node --import tsx workers/main.ts   (docker-compose.yml overrides the command)
# APP_MODE and the connection settings come from the environment (see docker-compose.yml and
# config/index.ts); the image sets none of them.

FROM node:20.19.5-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Dependencies first, so a source change does not reinstall them. The lockfile pins every version.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# Sources stay owned by root: the process reads them but cannot change them.
COPY . .

USER node

EXPOSE 3000

# No HEALTHCHECK here: the worker shares this image and serves no HTTP; compose defines the
# API's check against /healthz.
CMD ["node", "--import", "tsx", "api/main.ts"]
