import { createEventLog, listEntityEvents, type Actor } from '@sitter/ports';
import { EmbeddedStateStore } from '../src';

const admin: Actor = { username: 'root', roles: ['ADMIN'] };
const sameMillisecond = { now: () => new Date('2026-12-03T10:00:00.000Z') };

/** Ids that sort against the order of the changes, as random ids may. */
const descendingIds = () => {
  let next = 9;
  return () => `id-${next--}`;
};

describe('domain events of one millisecond', () => {
  const recordChanges = async (count: number) => {
    const store = new EmbeddedStateStore();
    const log = createEventLog({ store, clock: sameMillisecond, newId: descendingIds(), requestId: () => undefined });
    for (let step = 0; step < count; step += 1) {
      const event = log.stamp({
        type: `STEP_${step}`,
        entity: 'BOOKING',
        entityId: 'b1',
        owners: ['alice'],
        value: {},
      });
      await log.commit([], [event]);
    }
    return store;
  };

  it('when an entity changes several times within one millisecond, then its events are listed in the order of the changes', async () => {
    // Arrange
    const store = await recordChanges(4);

    // Act
    const page = await listEntityEvents(store, admin, 'BOOKING', 'b1', {});

    // Assert
    expect(page.items.map((event) => event.type)).toEqual(['STEP_0', 'STEP_1', 'STEP_2', 'STEP_3']);
  });

  it('when such events are read in pages, then each is read once, in the order of the changes', async () => {
    // Arrange
    const store = await recordChanges(5);

    // Act
    const types: string[] = [];
    let after: string | undefined;
    do {
      const page = await listEntityEvents(store, admin, 'BOOKING', 'b1', { limit: 2, after });
      types.push(...page.items.map((event) => event.type));
      after = page.cursor ?? undefined;
    } while (after !== undefined);

    // Assert
    expect(types).toEqual(['STEP_0', 'STEP_1', 'STEP_2', 'STEP_3', 'STEP_4']);
  });
});
