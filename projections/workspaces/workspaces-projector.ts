/**
 * The workspaces read model: workspaces and their members with roles. Each member row keeps the stream revision
 * that set it, so an event delivered again never undoes a later one; a removed member keeps a row whose role is
 * null (a tombstone: deleting it would let a replayed MemberAdded bring them back).
 */
import { parseWorkspaceEvent, WORKSPACE_EVENT_TYPES } from '../../contracts/workspaces.ts';
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { projectorByEventType, type Projector } from '../runtime/projector.ts';

export const WORKSPACES_PROJECTOR = 'workspaces';

async function project(event: RecordedEvent, tx: SqlExecutor): Promise<void> {
  const parsed = parseWorkspaceEvent(event);
  switch (parsed.type) {
    case 'WorkspaceCreated': {
      const { workspaceId, name, ownerId, createdAt } = parsed.data;
      await tx.query(`INSERT INTO workspaces (id, name, owner_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`, [
        workspaceId,
        name,
        ownerId,
        createdAt,
      ]);
      return setMember(tx, workspaceId, ownerId, 'owner', event);
    }
    case 'MemberAdded':
    case 'MemberRoleChanged':
      return setMember(tx, parsed.data.workspaceId, parsed.data.userId, parsed.data.role, event);
    case 'MemberRemoved':
      return setMember(tx, parsed.data.workspaceId, parsed.data.userId, null, event);
    case 'WorkspaceWalletOpened':
      await tx.query(`UPDATE workspaces SET wallet_open = true WHERE id = $1`, [parsed.data.workspaceId]);
      return;
    default: {
      const _unhandled: never = parsed;
    }
  }
}

/** role null: removed. Joining again after a removal starts a new membership (joined_at is then). */
async function setMember(tx: SqlExecutor, workspaceId: string, userId: string, role: string | null, event: RecordedEvent): Promise<void> {
  await tx.query(
    `INSERT INTO workspace_members (workspace_id, user_id, role, joined_at, stream_revision)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (workspace_id, user_id) DO UPDATE SET
       role = EXCLUDED.role,
       stream_revision = EXCLUDED.stream_revision,
       joined_at = CASE WHEN workspace_members.role IS NULL THEN EXCLUDED.joined_at ELSE workspace_members.joined_at END
     WHERE workspace_members.stream_revision < EXCLUDED.stream_revision`,
    [workspaceId, userId, role, event.createdAt, event.revision],
  );
}

export const workspacesProjector: Projector = projectorByEventType({
  name: WORKSPACES_PROJECTOR,
  version: 1,
  migrations: [
    {
      version: 1,
      sql: `
        CREATE TABLE workspaces (
          id text PRIMARY KEY,
          name text NOT NULL,
          owner_id text NOT NULL,
          wallet_open boolean NOT NULL DEFAULT false,
          created_at timestamptz NOT NULL
        );
        CREATE TABLE workspace_members (
          workspace_id text NOT NULL,
          user_id text NOT NULL,
          role text,
          joined_at timestamptz NOT NULL,
          stream_revision integer NOT NULL,
          PRIMARY KEY (workspace_id, user_id)
        );
        CREATE INDEX workspace_members_user ON workspace_members (user_id) WHERE role IS NOT NULL;`,
    },
  ],
  handlers: Object.fromEntries(WORKSPACE_EVENT_TYPES.map((type) => [type, project])),
});
