/** Dapr component names, shared by the adapters, dapr-components/ and the Helm chart. */
export const Components = {
  stateStore: 'statestore',
  pubsub: 'pubsub',
} as const;
