import { loadConfig, portSchema, z } from '@sitter/platform';

const schema = z.object({
  PORT: portSchema(3003),
  DATA_DIR: z.string().min(1).default('./.data'),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly', 'silent']).default('info'),
  SITTER_RUNTIME: z.enum(['embedded']).default('embedded'),
});

export type BookingConfig = z.infer<typeof schema>;

export const loadBookingConfig = (env: NodeJS.ProcessEnv = process.env): BookingConfig =>
  loadConfig('booking', schema, env);
