/**
 * The users read model: one row per registered user. Idempotent: a replayed UserRegistered finds its row and
 * changes nothing. The password hash and refresh tokens stay in the log; no read model needs them.
 * UserErased overwrites the email and name with ERASED and notes when: a rebuild reads the same (the registration
 * then reads as erased already, its key being shredded), so live and rebuilt tables stay equal.
 */
import { eventParser } from '../../contracts/event-parser.ts';
import { userEventSchemas } from '../../contracts/identity.ts';
import { ERASED } from '../../contracts/personal-data.ts';
import { projectorByEventType, type Projector } from '../runtime/projector.ts';

const parseRegistration = eventParser({ UserRegistered: userEventSchemas.UserRegistered });
const parseErasure = eventParser({ UserErased: userEventSchemas.UserErased });

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
    { version: 2, sql: `ALTER TABLE users ADD COLUMN erased_at timestamptz` },
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
    async UserErased(recorded, tx) {
      const { data } = parseErasure(recorded);
      await tx.query(`UPDATE users SET email = $2, display_name = $2, erased_at = $3 WHERE id = $1`, [
        data.userId,
        ERASED,
        data.erasedAt,
      ]);
    },
  },
});
