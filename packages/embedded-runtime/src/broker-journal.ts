import { AppendLog, type AppendLogOptions, type AppendLogStats } from './append-log';
import type { BrokerMessage } from './broker-message';

/** A message with the subscriptions that have not finished with it yet. */
export interface UnsettledMessage {
  message: BrokerMessage;
  subscriptions: string[];
}

/** `published` lists the subscriptions the message was dispatched to; `settled` ticks one off. */
type BrokerRecord = { published: BrokerMessage; to: string[] } | { settled: string; subscription: string };

/**
 * What the broker has accepted but not finished delivering, kept in `<dataDir>/pubsub/`.
 * A (message, subscription) pair is settled once the handler succeeded or the message went
 * to the dead-letter topic; everything else is delivered again after a restart. Compaction
 * keeps only the unsettled messages.
 */
export class BrokerJournal {
  private readonly pending = new Map<string, { message: BrokerMessage; subscriptions: Set<string> }>();
  private log?: AppendLog;
  private recovered: UnsettledMessage[] = [];

  static async open(directory: string, options: AppendLogOptions = {}): Promise<BrokerJournal> {
    const journal = new BrokerJournal();
    const log = await AppendLog.open(directory, (record) => journal.apply(record as BrokerRecord), options);
    journal.log = log;
    journal.recovered = journal.unsettled();
    await log.attach({ capture: () => journal.snapshotRecords(), liveRecords: () => journal.pending.size });
    return journal;
  }

  /**
   * What was unsettled when the journal was opened, in publish order; handed out once, so
   * that messages published in this run are not mistaken for ones to re-deliver.
   */
  takeRecovered(): UnsettledMessage[] {
    const recovered = this.recovered;
    this.recovered = [];
    return recovered;
  }

  /** Throws synchronously when the journal cannot take the message; resolves once it is on disk. */
  published(message: BrokerMessage, subscriptions: readonly string[]): Promise<void> {
    if (subscriptions.length === 0) return Promise.resolve();
    return this.append({ published: message, to: [...subscriptions] });
  }

  settled(messageId: string, subscription: string): Promise<void> {
    return this.append({ settled: messageId, subscription });
  }

  unsettled(): UnsettledMessage[] {
    return [...this.pending.values()].map(({ message, subscriptions }) => ({
      message,
      subscriptions: [...subscriptions],
    }));
  }

  stats(): AppendLogStats {
    return this.opened().stats();
  }

  idle(): Promise<void> {
    return this.opened().idle();
  }

  compact(): Promise<void> {
    return this.opened().compact();
  }

  close(): Promise<void> {
    return this.opened().close();
  }

  private append(record: BrokerRecord): Promise<void> {
    const written = this.opened().append(record);
    this.apply(record);
    return written;
  }

  private apply(record: BrokerRecord): void {
    if ('published' in record) {
      this.pending.set(record.published.id, { message: record.published, subscriptions: new Set(record.to) });
      return;
    }
    const entry = this.pending.get(record.settled);
    entry?.subscriptions.delete(record.subscription);
    if (entry?.subscriptions.size === 0) this.pending.delete(record.settled);
  }

  /** Built eagerly: the snapshot must not see settlements that happen while it is written. */
  private snapshotRecords(): BrokerRecord[] {
    return this.unsettled().map(({ message, subscriptions }) => ({ published: message, to: subscriptions }));
  }

  private opened(): AppendLog {
    if (!this.log) throw new Error('broker journal is not open');
    return this.log;
  }
}
