import { type ConfigEvent, configEventSchema } from '#domain/events.ts';

/** Events are stored as they are, one attribute per field; the value stays JSON text. */
export type EventItem = Record<string, unknown>;

export function toEventItem(event: ConfigEvent, expiresAt?: number): EventItem {
  return expiresAt === undefined ? { ...event } : { ...event, expiresAt };
}

export class CorruptEventError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CorruptEventError';
  }
}

export function fromEventItem(item: EventItem): ConfigEvent {
  const parsed = configEventSchema.safeParse(item);
  if (!parsed.success) {
    throw new CorruptEventError(
      `Stored event ${String(item.name)}@${String(item.version)} is malformed: ${parsed.error.message}`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}
