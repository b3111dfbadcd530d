import { stateStoreContract } from '@sitter/ports/contract/state-store.contract';
import { fileBackedHarness, inMemoryHarness, sqliteHarness } from './state-store-harnesses';

stateStoreContract('embedded, in memory', inMemoryHarness);

// A low threshold makes background compaction run during the suite, not only in its own test.
stateStoreContract('embedded, file-backed', () =>
  fileBackedHarness({ compaction: { minJournalLines: 8, linesPerLiveRecord: 2 } }),
);

stateStoreContract('embedded, SQLite (prototype, not wired)', sqliteHarness);
