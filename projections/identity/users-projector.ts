/**
 * The users read model: one row per registered user. Idempotent: a replayed UserRegistered finds its row and
 * changes nothing. The password hash and refresh tokens stay in the log; no read model needs them.
 */
import { eventParser } from '../../contracts/event-parser.ts';
import { userEventSchemas } from '../../contracts/identity.ts';
import { projectorByEventType, type Projector } from '../runtime/projector.ts';

const parseRegistration = eventParser({ UserRegistered: userEventSchemas.UserRegistered });

export const usersProjector: Projector = projectorByEventType({
  name: 'users',
  version: 1,
  migrations: [
    {
      version: 1,
      sql: `
        CREATE TABLE users (
          id text PRIMARY KEY,
          email text NOT NULL,
          display_name text,
          role text NOT NULL CHECK (role IN ('admin', 'member')),
          created_at timestamptz NOT NULL
        );
        CREATE INDEX users_email ON users (email);`,
    },
  ],
  streamPrefixes: ['user-'],
  handlers: {
    async UserRegistered(recorded, tx) {
      const { data } = parseRegistration(recorded);
      await tx.query(
        `INSERT INTO users (id, email, display_name, role, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO NOTHING`,
        [data.userId, data.email, data.displayName, data.role, data.registeredAt],
      );
    },
  },
});
