export interface BrokerMessage {
  id: string;
  topic: string;
  data: unknown;
  partitionKey?: string;
  requestId?: string;
  publishedAt: string;
}
