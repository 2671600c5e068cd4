/**
 * The command line of `npm run audit` and where it reads the log from (the decision is written in README.md
 * "Audit"):
 * - `--server <url>` (or AUDIT_SERVER): through that server's GraphQL API, with AUDIT_TOKEN or AUDIT_EMAIL and
 *   AUDIT_PASSWORD (an admin reads everything, a user their own streams);
 * - `--direct`, or EVENTSTORE_URL set (Postgres, EventStoreDB): straight from the event store, which a server can
 *   share with other readers while it runs, with personal data opened by the keys in the read-model database
 *   (DATABASE_URL, or the embedded one), or erased like the server shows it;
 * - otherwise the embedded default: through the server running on this machine (HOST, PORT), because its PGlite
 *   files belong to that one process. `--direct` reads them only when the server is stopped.
 * Credentials come from the environment, never from flags, so they stay out of shell history and process lists.
 * This tool's own variables are read here, from the environment the entry point hands over; the server's settings
 * (EVENTSTORE_URL, DATA_DIR, HOST, PORT) come from ops/config like everywhere else.
 */
import { isPosition } from '../../contracts/position.ts';
import type { WalletAtBound } from '../../command-side/wallet/wallet-at.ts';
import type { Config } from '../config/config.ts';

export const AUDIT_USAGE = `usage:
  npm run audit -- turn <turnId>
  npm run audit -- wallet <userId> [--at <log position|ISO 8601 time>]
  npm run audit -- document <documentId>
options: --server <url> (read through that server's API), --direct (read the event store itself)
environment: AUDIT_SERVER, AUDIT_TOKEN or AUDIT_EMAIL + AUDIT_PASSWORD (for reading through a server);
  EVENTSTORE_URL, DATA_DIR, HOST, PORT as for the server
exit code: 0 printed and it adds up, 1 not found or it does not add up, 2 bad usage or the log could not be read`;

export type AuditCommand =
  | { kind: 'turn'; id: string }
  | { kind: 'wallet'; id: string; bound: WalletAtBound | undefined }
  | { kind: 'document'; id: string };

export type Credentials = { token: string } | { email: string; password: string };

export type LogSource = { kind: 'server'; url: string; credentials: Credentials | undefined } | { kind: 'direct' };

export type AuditEnv = Record<string, string | undefined>;

const text = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

function credentialsOf(env: AuditEnv): Credentials | undefined {
  const token = text(env.AUDIT_TOKEN);
  if (token) return { token };
  const email = text(env.AUDIT_EMAIL);
  const password = env.AUDIT_PASSWORD;
  return email && password ? { email, password } : undefined;
}

/** The server on this machine: a wildcard listen address is reached on loopback. */
const localServer = (config: Pick<Config, 'HOST' | 'PORT'>) =>
  `http://${['0.0.0.0', '::', ''].includes(config.HOST) ? '127.0.0.1' : config.HOST}:${config.PORT}`;

export function chooseSource(flags: { server?: string; direct: boolean }, env: AuditEnv, config: Pick<Config, 'HOST' | 'PORT' | 'EVENTSTORE_URL'>): LogSource {
  const server = flags.server ?? text(env.AUDIT_SERVER);
  if (server) return { kind: 'server', url: server, credentials: credentialsOf(env) };
  if (flags.direct || config.EVENTSTORE_URL) return { kind: 'direct' };
  return { kind: 'server', url: localServer(config), credentials: credentialsOf(env) };
}

function boundOf(at: string): WalletAtBound | string {
  if (isPosition(at)) return { position: at };
  return Number.isNaN(Date.parse(at)) ? `--at ${JSON.stringify(at)} is neither a log position ("12-3") nor an ISO 8601 time` : { at };
}

/** The command and the flags, or what is wrong with them. */
export function parseAuditArgs(argv: readonly string[]): { command: AuditCommand; server?: string; direct: boolean } | { error: string } {
  const positional: string[] = [];
  let at: string | undefined;
  let server: string | undefined;
  let direct = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--direct') direct = true;
    else if (arg === '--at' || arg === '--server') {
      const value = argv[++i];
      if (!value) return { error: `${arg} needs a value` };
      if (arg === '--at') at = value;
      else server = value;
    } else if (arg.startsWith('--')) return { error: `unknown option ${arg}` };
    else positional.push(arg);
  }
  const [kind, id, ...rest] = positional;
  if (!id || rest.length > 0) return { error: 'name what to audit and its id' };
  if (direct && server) return { error: '--direct and --server exclude each other' };
  if (at !== undefined && kind !== 'wallet') return { error: '--at applies to a wallet' };
  const flags = { ...(server && { server }), direct };
  switch (kind) {
    case 'turn':
    case 'document':
      return { command: { kind, id }, ...flags };
    case 'wallet': {
      const bound = at === undefined ? undefined : boundOf(at);
      if (typeof bound === 'string') return { error: bound };
      return { command: { kind, id, bound }, ...flags };
    }
    default:
      return { error: `cannot audit ${JSON.stringify(kind)}: turn, wallet or document` };
  }
}
