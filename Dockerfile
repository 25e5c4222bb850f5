# syntax=docker/dockerfile:1
# sliceguard's image: `docker build -t sliceguard .` at the repository root.
# Three stages: build (all dependencies, TypeScript compiled to dist/), deps (production
# dependencies only), and the runtime image with nothing but Node.js, those dependencies and dist/.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here, and the `node`
# devDependency's install script is not needed inside an image that already has Node.js 24.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY policies ./policies
COPY webhook ./webhook
COPY certs ./certs
COPY cli ./cli
# tsc, then the bundles of the validate path (scripts/build.ts: what `npm run build` runs). Node
# runs that TypeScript file itself, which needs Node 22.18 or later in this stage (NODE_IMAGE).
COPY scripts/build.ts ./scripts/build.ts
RUN node scripts/build.ts

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
LABEL org.opencontainers.image.title="sliceguard" \
      org.opencontainers.image.description="Admission webhook and validator for Kubernetes EndpointSlices" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production
WORKDIR /app
# package.json: "type": "module" for dist/, and the version `sliceguard --version` prints.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
# The node image's unprivileged user, by number so that runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8443 9090
# Exec form: node is PID 1 and receives SIGTERM itself; no shell is involved at run time.
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["--help"]
