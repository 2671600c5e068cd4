# One image, every role: ROLE picks what the process runs (all | api | projector | worker | saga).
# The web app is built in a stage of its own (Vite is a development dependency); the image keeps ui/dist only.
FROM node:20-bookworm-slim AS web-app
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY ui ./ui
RUN npx vite build --config ui/vite.config.ts

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts=false && npm i --no-save tsx@4
COPY contracts ./contracts
COPY command-side ./command-side
COPY projections ./projections
COPY query-side ./query-side
COPY ops ./ops
COPY tsconfig.json ./
COPY --from=web-app /app/ui/dist ./ui/dist
EXPOSE 4000
CMD ["npx", "tsx", "ops/main.ts"]
