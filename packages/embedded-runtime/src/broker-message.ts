import { Components } from '@sitter/contracts';
import type { CloudEventAttributes } from '@sitter/ports';

/**
 * A message as the embedded broker holds and journals it. Published with default options it
 * is a CloudEvents 1.0 envelope in Dapr's shape (`type` com.dapr.event.sent, `source` the
 * publishing app id); with `rawPayload` it carries only the payload plus delivery metadata,
 * as Dapr's raw messages do. Extension attribute names are lower-case, as CloudEvents requires.
 */
export interface BrokerMessage {
  id: string;
  topic: string;
  data: unknown;
  time: string;
  /** Messages with the same key keep their order (the Kafka partition key). */
  partitionkey?: string;
  /** The request id current at publish time; current again in the handler. */
  requestid?: string;
  specversion?: '1.0';
  source?: string;
  type?: string;
  datacontenttype?: 'application/json';
  pubsubname?: string;
}

export const cloudEventAttributes = (source: string) => ({
  specversion: '1.0' as const,
  source,
  type: 'com.dapr.event.sent',
  datacontenttype: 'application/json' as const,
  pubsubname: Components.pubsub,
});

export const envelopeOf = (message: BrokerMessage): CloudEventAttributes | undefined =>
  message.specversion && message.source && message.type && message.datacontenttype
    ? {
        specversion: message.specversion,
        id: message.id,
        source: message.source,
        type: message.type,
        time: message.time,
        datacontenttype: message.datacontenttype,
      }
    : undefined;
