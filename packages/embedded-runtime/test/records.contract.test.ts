import { recordsContract } from '@sitter/ports/contract/records.contract';
import { fileBackedHarness, inMemoryHarness, sqliteHarness } from './state-store-harnesses';

recordsContract('embedded, in memory', inMemoryHarness);

recordsContract('embedded, file-backed', () => fileBackedHarness());

recordsContract('embedded, SQLite (prototype, not wired)', sqliteHarness);
