import { recordsContract } from '@sitter/ports/contract/records.contract';
import { fileBackedHarness, inMemoryHarness } from './state-store-harnesses';

recordsContract('embedded, in memory', inMemoryHarness);

recordsContract('embedded, file-backed', () => fileBackedHarness());
