/** Every topic the system publishes or consumes. */
export const Topics = {
  /** Requests to decline one job application; produced by the platform and by partners. */
  applicationDeclines: 'job-applications.declines',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];
