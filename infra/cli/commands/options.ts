import type { OptionSpec } from '../args.ts';

/** Options shared by several commands: one name, one meaning, one type everywhere. */

export const expectedVersionOption: OptionSpec = {
  type: 'string',
  placeholder: 'n',
  description:
    'Only if the entry is still at version n (0: only if it does not exist); else exit 3.',
};

export const commentOption: OptionSpec = {
  type: 'string',
  placeholder: 'text',
  description: 'Why: recorded with the change, for ever (up to 1024 characters).',
};

export const idempotencyKeyOption: OptionSpec = {
  type: 'string',
  placeholder: 'key',
  description: 'Retry-safe: the same key with the same request is applied once (24 h).',
};

export const prefixOption: OptionSpec = {
  type: 'string',
  placeholder: 'prefix',
  description: 'Only names starting with this prefix.',
};

export const limitOption: OptionSpec = {
  type: 'string',
  placeholder: 'n',
  description: 'At most n items in this page (1–1000; the API defaults to 100).',
};

export const nextTokenOption: OptionSpec = {
  type: 'string',
  placeholder: 'token',
  description: 'Continue from a previous page (the token it printed).',
};

export const atOption: OptionSpec = {
  type: 'string',
  placeholder: 'timestamp',
  description: 'As it was at this instant (ISO-8601 with a zone, e.g. 2026-02-12T10:00:00Z).',
};

export const nameArgument = {
  name: 'name',
  description: 'The entry, e.g. payments.checkout.timeout_ms.',
} as const;

export const valueOption: OptionSpec = {
  type: 'boolean',
  description:
    "Print only the value, as one line of JSON with exact numbers (like etcdctl's --print-value-only).",
};
