# checkup in a container: `checkup every 1m` by default, the config mounted at /config/checkup.json.
#   docker build -t checkup .
#   docker run -v "$PWD/checkup.json:/config/checkup.json:ro" -v checkup-data:/data checkup
# See docs/container.md (compose file with PostgreSQL beside it).
FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.json tsconfig.app.json ./
COPY cmd cmd
COPY lib lib
RUN npx tsc -p tsconfig.app.json && npm prune --omit=dev --loglevel=error

FROM node:22-bookworm-slim
ENV NODE_ENV=production CHECKUP_CONFIG=/config/checkup.json XDG_STATE_HOME=/data/state
WORKDIR /data
COPY --from=build /src/node_modules /app/node_modules
COPY --from=build /src/dist/cmd /app/dist/cmd
COPY --from=build /src/dist/lib /app/dist/lib
COPY package.json checkup.json /app/
COPY statuspage /app/statuspage
COPY scripts/container-entrypoint.sh /usr/local/bin/checkup-entrypoint
RUN mkdir -p /config /data && chown node:node /data
USER node
EXPOSE 3000
ENTRYPOINT ["checkup-entrypoint"]
CMD ["every", "1m"]
