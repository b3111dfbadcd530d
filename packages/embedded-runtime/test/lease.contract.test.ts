import { leaseContract } from '@sitter/ports/contract/lease.contract';
import { fileBackedHarness, inMemoryHarness } from './state-store-harnesses';

leaseContract('embedded, in memory', inMemoryHarness);

leaseContract('embedded, file-backed', () => fileBackedHarness());
