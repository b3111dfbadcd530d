import type { TornTail } from './journal-reader';

const PREVIEW_CHARACTERS = 200;

/** What a warning says about a torn tail: where, how much, its start, and the keys or message ids it names. */
export const describeTornTail = (
  torn: TornTail,
): { file: string; droppedBytes: number; dropped: string; names: string[] } => ({
  file: torn.file,
  droppedBytes: torn.bytes,
  dropped: torn.text.length > PREVIEW_CHARACTERS ? `${torn.text.slice(0, PREVIEW_CHARACTERS)}…` : torn.text,
  // State lines name their keys ("key"), broker lines their message ("id", "settled").
  names: [...torn.text.matchAll(/"(?:key|id|settled)":"((?:[^"\\]|\\.)*)"/g)].map((match) => match[1]),
});
