# syntax=docker/dockerfile:1.7
# The operator image. Build from the repository root (npm workspaces share one lockfile):
#   docker build -f operator/docker/operator.Dockerfile -t ums/operator:dev .
# Node 24 runs the TypeScript sources directly (type stripping): there is no compile step.

# The base images are build arguments so a machine that cannot pull them can pass its own
# (scripts/lib/images.sh builds local ones with buildah); Docker elsewhere uses the defaults.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Every workspace manifest, so `npm ci` sees the same tree the lockfile describes.
COPY operator/package.json operator/
COPY services/contracts/package.json services/contracts/
COPY services/kit/package.json services/kit/
COPY scripts/package.json scripts/
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --workspace=@ums/operator --include-workspace-root=false

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY services/contracts/package.json services/contracts/
COPY services/contracts/src services/contracts/src
COPY services/kit/package.json services/kit/
COPY services/kit/src services/kit/src
COPY operator/package.json operator/
COPY operator/src operator/src
# A fixed non-root user; the Deployment's securityContext runs it with a read-only root.
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["node", "operator/src/main.ts"]
