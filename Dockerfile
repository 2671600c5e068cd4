# One image, every role: ROLE picks what the process runs (all | api | projector | worker | saga).
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
EXPOSE 4000
CMD ["npx", "tsx", "ops/main.ts"]
