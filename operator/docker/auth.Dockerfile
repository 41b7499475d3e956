# syntax=docker/dockerfile:1.7
# The auth service image. Build from the repository root:
#   docker build -f operator/docker/auth.Dockerfile -t ums/auth:dev .
# The operator runs it with PORT=8080, a read-only root and /tmp as scratch space; the migration
# Job runs `npm run --silent db:migrate` in the same image.

# The base images are build arguments so a machine that cannot pull them can pass its own
# (scripts/lib/images.sh builds local ones with buildah); Docker elsewhere uses the defaults.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY services/auth/package.json services/auth/
COPY services/contracts/package.json services/contracts/
COPY services/kit/package.json services/kit/
COPY operator/package.json operator/
COPY scripts/package.json scripts/
# Native modules (argon2) come as prebuilt binaries; build tools only in case one is missing.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --workspace=@ums/auth --include-workspace-root=false

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    PORT=8080 \
    HOME=/tmp \
    NPM_CONFIG_CACHE=/tmp/.npm \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY services/contracts/package.json services/contracts/
COPY services/contracts/src services/contracts/src
COPY services/kit/package.json services/kit/
COPY services/kit/src services/kit/src
COPY services/auth services/auth
WORKDIR /app/services/auth
USER 10001:10001
EXPOSE 8080
CMD ["node", "--import", "./src/instrumentation.ts", "src/main.ts"]
