/** `npm start`: loads the configuration, starts the app in its ROLE, prints where to find it, closes on signals. */
import { createApp } from './app/create-app.ts';
import { ConfigError, loadConfig } from './config/config.ts';
import { startTracing } from './observability/tracing.ts';
import { pgliteTemplateFile } from './sql/pglite-template.ts';
import { buildWebAppIfStale } from './web-app/build-web-app.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const servesPages = config.ROLE === 'all' || config.ROLE === 'api';
  // The address people need comes first, before the start-up logs.
  if (servesPages && config.PORT !== 0) console.log(`Knowledge Assistant: http://localhost:${config.PORT}/ (starting…)`);
  const tracing = await startTracing({ endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  // New embedded databases start from a cached empty-database tarball: one initdb per machine, not two per start.
  const templateFile = config.EVENTSTORE_URL && config.DATABASE_URL ? undefined : await pgliteTemplateFile();
  if (!config.UI_DIR && servesPages) {
    const web = await buildWebAppIfStale();
    if (web.built) console.log(`Built the web app in ${(web.ms / 1000).toFixed(1)} s`);
  }
  const app = await createApp(config, { ...(templateFile && { templateFile }) });
  if (app.url) console.log(`Knowledge Assistant is ready: open ${app.url}/`);
  console.log(`Knowledge Assistant started (role ${config.ROLE}, data in ${config.dataDir})`);
  if (app.url) {
    console.log(`  GraphQL:  ${app.url}/graphql  (subscriptions: ${app.url.replace(/^http/, 'ws')}/graphql)`);
    console.log(`  GraphiQL: ${app.url}/graphiql`);
  }
  console.log(`  Health:   ${app.probeUrl}/healthz   Metrics: ${app.probeUrl}/metrics`);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) {
      console.log(`${signal} again: exiting now`);
      process.exit(1);
    }
    closing = true;
    // Answers in hand finish and reach their clients first; what outlasts the grace period is handed over through
    // the log (another saga instance, or this one restarted, ends the turn and settles its hold).
    console.log(`${signal}: finishing answers in hand (up to ${config.SHUTDOWN_GRACE_MS} ms), then closing…`);
    app
      .drain(config.SHUTDOWN_GRACE_MS)
      .then((outcome) => {
        if (outcome === 'timeout') console.log('grace period over: closing with work still running (it is handed over)');
        return app.close();
      })
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('close failed', error);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('start-up failed:', error);
  process.exit(1);
});
