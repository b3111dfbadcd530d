import type { IncomingHttpHeaders } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Headers } from '@sitter/contracts';
import type { CloudEventAttributes } from '@sitter/ports';

/** What one POST from daprd to a subscription route carries, read into the port's terms. */
export interface Delivery {
  /** The CloudEvent id; for a raw payload, its Kafka position (stable across redeliveries). */
  id: string;
  data: unknown;
  cloudEvent?: CloudEventAttributes;
  requestId?: string;
}

/**
 * Kafka's position of the record, which pubsub.kafka passes as delivery metadata and daprd as HTTP headers. A
 * dead-lettered record carries its original headers along, so its first topic and offset still name it there.
 */
const KafkaHeaders = { topic: '__topic', partition: '__partition', offset: '__offset' } as const;

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A raw payload has no id of its own; where it sits in Kafka is one that does not change on redelivery. */
const rawMessageId = (headers: IncomingHttpHeaders): string => {
  const topic = header(headers, KafkaHeaders.topic);
  const partition = header(headers, KafkaHeaders.partition);
  const offset = header(headers, KafkaHeaders.offset);
  return topic && partition && offset ? `${topic}/${partition}/${offset}` : randomUUID();
};

/** `data_base64` is how daprd hands over a payload it could not keep as JSON (rawPayload subscriptions). */
const decodeBase64 = (encoded: string): unknown => {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  try {
    return JSON.parse(decoded) as unknown;
  } catch {
    return decoded;
  }
};

type Envelope = Record<string, unknown> & { specversion: string; id: string };

const isCloudEvent = (body: unknown): body is Envelope =>
  isRecord(body) && typeof body.specversion === 'string' && typeof body.id === 'string';

/**
 * Reads a delivery: a CloudEvents envelope (the default) or, for messages published with rawPayload, the bare JSON
 * payload, which daprd passes on as it is. The request id comes from the `x-request-id` record header the
 * publisher set, or a `requestid` extension attribute of the envelope.
 */
export const readDelivery = (body: unknown, headers: IncomingHttpHeaders): Delivery => {
  const requestIdHeader = header(headers, Headers.requestId);
  if (!isCloudEvent(body)) {
    return { id: rawMessageId(headers), data: body, requestId: requestIdHeader };
  }
  const data = typeof body.data_base64 === 'string' ? decodeBase64(body.data_base64) : body.data;
  if (isCloudEvent(data)) {
    // A rawPayload subscription wraps what it received, envelope or not, in an envelope of its own.
    return readDelivery(data, headers);
  }
  const cloudEvent: CloudEventAttributes = {
    specversion: '1.0',
    id: body.id,
    source: text(body.source),
    type: text(body.type),
    time: text(body.time),
    datacontenttype: text(body.datacontenttype),
  };
  const requestId = requestIdHeader ?? (text(body.requestid) || undefined);
  return { id: body.id, data, cloudEvent, requestId };
};
