/** Message payloads. Field names are a contract with partner producers: change only by adding. */
export interface DeclineRequest {
  version: 1;
  applicationId: string;
  jobId: string;
  reason: string;
  /** Who asked: 'booking' for the platform, a partner's name otherwise. */
  source: string;
  /** ISO-8601 timestamp. */
  requestedAt: string;
}
