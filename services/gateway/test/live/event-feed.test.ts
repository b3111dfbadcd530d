import type { DomainEvent } from '@sitter/ports';
import { LiveEventFeed } from '../../src/live/event-feed';

const event = (id: string): DomainEvent => ({
  id,
  type: 'JOB_POSTED',
  entity: 'JOB',
  entityId: 'j1',
  requestId: 'system',
  actor: 'system',
  createdAt: '2026-12-03T10:00:00.000Z',
  owners: ['p'],
  value: {},
});

describe('LiveEventFeed, the replica-wide event feed', () => {
  it('when the same event arrives twice (a relay republished it), then listeners get it once', () => {
    // Arrange
    const feed = new LiveEventFeed();
    const heard: string[] = [];
    feed.listen((each) => heard.push(each.id));

    // Act
    for (const id of ['e1', 'e2', 'e1', 'e3', 'e2']) feed.deliver(event(id));

    // Assert
    expect(heard).toEqual(['e1', 'e2', 'e3']);
  });

  it('when more ids arrived since an event than the feed remembers, then a repeat of it is delivered again', () => {
    // Arrange
    const feed = new LiveEventFeed(2);
    const heard: string[] = [];
    feed.listen((each) => heard.push(each.id));

    // Act
    for (const id of ['e1', 'e2', 'e3', 'e1', 'e3']) feed.deliver(event(id));

    // Assert
    expect(heard).toEqual(['e1', 'e2', 'e3', 'e1']);
  });
});
