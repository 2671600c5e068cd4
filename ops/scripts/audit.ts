/**
 * npm run audit -- turn <id> | wallet <userId> [--at <position|time>] | document <id>   [--server <url>] [--direct]
 *
 * Prints one turn's causation chain (and whether its charge adds up), a wallet's events with the balance after each,
 * or a document's events, read from the log. Where it reads from, and why: ops/audit/audit-args.ts, README "Audit".
 */
import { runAudit } from '../audit/run-audit.ts';

process.exitCode = await runAudit(process.argv.slice(2), process.env, {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
