# syntax=docker/dockerfile:1.7
# The web app: built with Vite on Node 24, served as static files by unprivileged nginx on 8080.
#   docker build -f operator/docker/web.Dockerfile -t ums/web:dev .

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY web/package.json web/
COPY services/kit/package.json services/kit/
COPY operator/package.json operator/
COPY scripts/package.json scripts/
RUN --mount=type=cache,target=/root/.npm npm ci --workspace=web --include-workspace-root=false
COPY web web
RUN npm run build --workspace=web

FROM nginxinc/nginx-unprivileged:1.29-alpine
COPY operator/docker/web-nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /app/web/dist /usr/share/nginx/html
# The pod runs as 10001 with a read-only root; nginx writes only under /tmp (an emptyDir).
USER 10001:10001
EXPOSE 8080
