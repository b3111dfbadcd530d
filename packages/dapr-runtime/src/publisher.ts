import { Components, Headers } from '@sitter/contracts';
import type { PublishOptions, Publisher } from '@sitter/ports';
import { currentRequestId } from '@sitter/platform';
import type { SidecarConnection } from './sidecar-connection';
import { SidecarError, failureFromResponse } from './sidecar-errors';

/**
 * Publish metadata understood by daprd and pubsub.kafka. Every other metadata entry travels as a Kafka record
 * header and reaches the subscribing app as an HTTP header of the delivery: that is how the request id crosses.
 */
export const PublishMetadata = {
  /** The Kafka record key: messages with the same key go to the same partition, in order. */
  partitionKey: 'partitionKey',
  /** "true": the payload as it is, no CloudEvents envelope. */
  rawPayload: 'rawPayload',
  requestId: Headers.requestId,
} as const;

/**
 * The Publisher port on Dapr pub/sub. By default daprd wraps the data in a CloudEvents 1.0 envelope (id, source =
 * this app id, type com.dapr.event.sent, time); with `rawPayload` the JSON payload goes out as it is.
 */
export class DaprPublisher implements Publisher {
  constructor(
    private readonly sidecar: SidecarConnection,
    private readonly pubsubName: string = Components.pubsub,
  ) {}

  async publish<T>(topic: string, data: T, options: PublishOptions = {}): Promise<void> {
    const metadata: Record<string, string> = {};
    if (options.partitionKey !== undefined) metadata[PublishMetadata.partitionKey] = options.partitionKey;
    if (options.rawPayload) metadata[PublishMetadata.rawPayload] = 'true';
    const requestId = currentRequestId();
    if (requestId) metadata[PublishMetadata.requestId] = requestId;

    // Metadata travels as `metadata.<name>` query parameters.
    const query = new URLSearchParams(Object.entries(metadata).map(([name, value]) => [`metadata.${name}`, value]));
    const response = await this.sidecar.request(
      `/v1.0/publish/${this.pubsubName}/${encodeURIComponent(topic)}${query.size > 0 ? `?${query}` : ''}`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) },
    );
    if (!response.ok) throw new SidecarError(`publish to ${topic}`, await failureFromResponse(response));
    await response.arrayBuffer();
  }
}
