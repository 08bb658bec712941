import type * as z from 'zod';
import type {
  changesResponse,
  entryDiffResponse,
  entryListResponse,
  entryResponse,
  errorResponseSchema,
  healthResponse,
  historyEventResponse,
  historyResponse,
  namesDiffResponse,
} from '#http/response-schemas.ts';

/** The API's answers, inferred from the same zod schemas the service documents and tests. */
export type Entry = z.infer<typeof entryResponse>;
export type EntryList = z.infer<typeof entryListResponse>;
export type HistoryEvent = z.infer<typeof historyEventResponse>;
export type History = z.infer<typeof historyResponse>;
export type EntryDiff = z.infer<typeof entryDiffResponse>;
export type NamesDiff = z.infer<typeof namesDiffResponse>;
export type ChangesPage = z.infer<typeof changesResponse>;
export type Health = z.infer<typeof healthResponse>;
export type ApiErrorBody = z.infer<typeof errorResponseSchema>;
