/** Dapr app ids. Helm values, dapr-components scopes and the invokers all use these. */
export const AppIds = {
  gateway: 'gateway',
  user: 'user',
  job: 'job',
  booking: 'booking',
  decliner: 'decliner',
} as const;

export type AppId = (typeof AppIds)[keyof typeof AppIds];
