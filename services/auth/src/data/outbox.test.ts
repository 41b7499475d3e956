import { hashPassword } from '../domain/passwords.ts';
import { withTransaction } from './db.ts';
import { appendEvent } from './outbox.ts';
import { createTestAuth, type TestAuth } from '../test/harness.ts';
import { onlyRow } from './rows.ts';

describe('outbox events', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth();
  });
  afterAll(async () => t.close());

  async function payloadOf(eventId: string) {
    const { rows } = await t.container.db.query<{ payload: { data: Record<string, unknown> } }>(
      'SELECT payload FROM outbox WHERE event_id = $1',
      [eventId],
    );
    return onlyRow(rows).payload;
  }

  it('when a user event is appended in a transaction, then it carries the user as the transaction left them', async () => {
    const user = await t.container.users.insert(t.container.db, {
      email: 'snapshot@example.com',
      passwordHash: await hashPassword('a long enough passphrase'),
      role: 'user',
    });
    const eventId = await withTransaction(t.container.db, async (tx) => {
      await tx.query("UPDATE users SET status = 'suspended' WHERE id = $1", [user.id]);
      return appendEvent(tx, {
        type: 'user.status_changed',
        aggregateId: user.id,
        data: { from: 'active', to: 'suspended' },
      });
    });
    const { data } = await payloadOf(eventId);
    expect(data).toMatchObject({
      from: 'active',
      to: 'suspended',
      user: { id: user.id, status: 'suspended', email: 'snapshot@example.com' },
    });
    expect(JSON.stringify(data)).not.toMatch(/argon2|password/i);
  });

  it('when the event is about a role or a deleted user, then no snapshot is invented', async () => {
    const roleEvent = await appendEvent(t.container.db, {
      type: 'role.created',
      aggregateId: 'auditor',
      data: { role: 'auditor' },
    });
    expect((await payloadOf(roleEvent)).data).toEqual({ role: 'auditor' });
    const gone = '00000000-0000-4000-8000-000000000000';
    const deleted = await appendEvent(t.container.db, {
      type: 'user.deleted',
      aggregateId: gone,
      data: { userId: gone },
    });
    expect((await payloadOf(deleted)).data).toEqual({ userId: gone });
  });
});
