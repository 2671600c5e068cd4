/**
 * `npm run audit`: reads one turn, wallet or document from the log (directly or through a server, audit-args.ts) and
 * prints it; the exit code says whether it was found and adds up. `out` and `err` take whole lines.
 */
import { existsSync } from 'node:fs';
import { DomainError } from '../../contracts/errors.ts';
import type { EventStore } from '../../contracts/eventstore.ts';
import { documentStream, walletStream } from '../../contracts/streams.ts';
import { eventStoreReader, type StreamReader } from '../../query-side/audit/stream-reader.ts';
import { readTurnTrail } from '../../query-side/audit/turn-trail.ts';
import { openEventStore } from '../app/open-event-store.ts';
import { createPgliteSql } from '../sql/pglite.ts';
import { createPostgresSql } from '../sql/postgres.ts';
import { protectStoredPersonalData } from '../app/personal-data.ts';
import { ConfigError, loadConfig, type Config } from '../config/config.ts';
import { AUDIT_USAGE, chooseSource, parseAuditArgs, type AuditCommand, type AuditEnv, type LogSource } from './audit-args.ts';
import { documentLines } from './print-document.ts';
import { DOES_NOT_ADD_UP, turnLines } from './print-turn.ts';
import { walletLines } from './print-wallet.ts';
import { loginToServer, ServerReadError, serverReader } from './server-reader.ts';

export interface AuditOutput {
  out(line: string): void;
  err(line: string): void;
}

const NOT_FOUND = 1;
const CANNOT_READ = 2;

/** A reader on the chosen source, and how to let go of it. */
async function openReader(source: LogSource, config: Config): Promise<{ reader: StreamReader; close(): Promise<void> }> {
  if (source.kind === 'server') {
    const { credentials } = source;
    if (!credentials) {
      throw new ServerReadError(`reading through ${source.url} needs AUDIT_TOKEN (an access token) or AUDIT_EMAIL and AUDIT_PASSWORD`);
    }
    const token = 'token' in credentials ? credentials.token : await loginToServer(source.url, credentials.email, credentials.password);
    return { reader: serverReader(source.url, token), close: async () => undefined };
  }
  // An embedded store that is not there would be created empty: say so instead.
  if (!config.EVENTSTORE_URL && !existsSync(config.eventStoreDir)) {
    throw new ServerReadError(`no embedded event store at ${config.eventStoreDir} (DATA_DIR ${config.dataDir})`);
  }
  const sealed: EventStore = await openEventStore({ url: config.EVENTSTORE_URL, dataDir: config.eventStoreDir });
  // Personal data is read as the server reads it: opened with the keys of the read-model database, or erased.
  const readModels = config.DATABASE_URL
    ? await createPostgresSql(config.DATABASE_URL, { name: 'knowledge-assistant-audit' })
    : await createPgliteSql({ dataDir: config.readModelDir });
  const { eventStore } = await protectStoredPersonalData(sealed, readModels);
  return {
    reader: eventStoreReader(eventStore),
    close: async () => {
      await sealed.close();
      await readModels.close();
    },
  };
}

/** Prints the command's lines; the exit code. */
async function audit(command: AuditCommand, reader: StreamReader, output: AuditOutput): Promise<number> {
  const print = (lines: string[]) => {
    lines.forEach((line) => output.out(line));
    return lines.some((line) => line.startsWith(DOES_NOT_ADD_UP)) ? 1 : 0;
  };
  const missing = (what: string) => {
    output.err(`no ${what} in the log`);
    return NOT_FOUND;
  };
  switch (command.kind) {
    case 'turn': {
      const trail = await readTurnTrail(reader, command.id);
      return trail ? print(turnLines(trail)) : missing(`turn ${command.id}`);
    }
    case 'wallet': {
      const events = await reader.eventsAfter(walletStream(command.id));
      return events.length > 0 ? print(walletLines(command.id, events, command.bound)) : missing(`wallet of user ${command.id}`);
    }
    case 'document': {
      const events = await reader.eventsAfter(documentStream(command.id));
      return events.length > 0 ? print(documentLines(command.id, events)) : missing(`document ${command.id}`);
    }
  }
}

export async function runAudit(argv: readonly string[], env: AuditEnv, output: AuditOutput): Promise<number> {
  const parsed = parseAuditArgs(argv);
  if ('error' in parsed) {
    output.err(`${parsed.error}\n${AUDIT_USAGE}`);
    return CANNOT_READ;
  }
  try {
    const config = loadConfig(env);
    const source = chooseSource(parsed, env, config);
    const { reader, close } = await openReader(source, config);
    try {
      return await audit(parsed.command, reader, output);
    } finally {
      await close();
    }
  } catch (error) {
    if (!(error instanceof ServerReadError || error instanceof DomainError || error instanceof ConfigError)) throw error;
    output.err(error.message);
    return CANNOT_READ;
  }
}
