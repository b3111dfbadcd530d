export * from './event-feed';
export * from './close-codes';
export * from './live-context';
export { serveWebSocketSubscriptions, type WebSocketLimits } from './websocket';
export { feedFromKafka } from './kafka-feed';
export * from './connection-slots';
export * from './live-admission';
