/** Dapr component names, shared by the adapters, dapr-components/ and the Helm chart. */
export const Components = {
  stateStore: 'statestore',
  pubsub: 'pubsub',
  /** Dapr's distributed lock (lock.redis): the Dapr adapters lock the keys of every state write through it. */
  lockStore: 'lockstore',
} as const;
