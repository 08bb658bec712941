import { decide } from '#domain/decide.ts';
import { initialState, type LiveEntry, liveEntryOf } from '#domain/entry.ts';
import { EntryNotFoundError, NotCaughtUpError, WriteContentionError } from '#domain/errors.ts';
import type { ConfigEvent, Revision } from '#domain/events.ts';
import type { JsonText } from '#domain/json.ts';
import { limits } from '#domain/limits.ts';
import { type EntryViolations, SchemaNotMetError } from '#domain/schema-errors.ts';
import { isPrefixTarget, schemaEntryName, targetOfSchemaEntry } from '#domain/schema-target.ts';
import { type CommandOptions, commitDecided, deleteValue } from './commands.ts';
import { LedgerView } from './ledger-view.ts';
import { pageAt } from './pages-at.ts';
import { awaitProjected } from './points.ts';
import { getHistory, type HistoryPage } from './queries.ts';
import { schemaValidation } from './schema-check.ts';
import type { Stores } from './stores.ts';

/** A schema as attached: its target, version and text. */
export interface AttachedSchema {
  readonly target: string;
  readonly schema: JsonText;
  readonly version: number;
  readonly revision: Revision;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export interface AttachSchema {
  readonly target: string;
  readonly schema: JsonText;
  readonly actor: string;
  readonly comment?: string;
  /** The schema's version the caller last saw (0: only if none is attached). */
  readonly expectedVersion?: number;
  /** Attach even when existing entries break the schema (they are reported). */
  readonly force?: boolean;
}

/** What the existing entries under a target make of a schema, at a revision. */
export interface SchemaCheck {
  readonly revision: Revision;
  /** Entries checked: every live entry the target covers. */
  readonly checked: number;
  /** Those that break it, at most limits.violationsMax of them. */
  readonly violating: readonly EntryViolations[];
}

export interface AttachResult extends SchemaCheck {
  readonly attached: AttachedSchema;
  readonly created: boolean;
}

/** Thrown from inside a decision whose check was made at an older revision: check again. */
class CheckOutdated extends Error {}

/**
 * Checks a schema against the entries it would cover, at the newest revision, without attaching
 * it (a dry run). Refuses a schema that cannot be used (400-ish `invalid_schema`).
 */
export async function checkSchema(
  stores: Stores,
  target: string,
  schema: JsonText,
): Promise<SchemaCheck> {
  (await schemaValidation()).compileSchema(schema);
  const view = await LedgerView.atNewest(stores);
  return checkAt(stores, target, schema, view.revision);
}

/**
 * Attaches (or replaces) a schema. The existing entries are checked at revision R and the schema
 * is committed only at R + 1: if anything else is committed first, they are checked again, so an
 * attach without `force` never lands over an entry that breaks it. Writes decided after it are
 * checked against it (see assertConformsToSchemas).
 */
export async function attachSchema(
  stores: Stores,
  command: AttachSchema,
  options: CommandOptions = {},
): Promise<AttachResult> {
  (await schemaValidation()).compileSchema(command.schema);
  const deadline = performance.now() + (options.retryBudgetMs ?? 8_000);
  for (let attempt = 1; ; attempt++) {
    try {
      // A prefix is checked on the projection at the revision: if the projector is slow to get
      // there, or anything is committed before the schema, the check is made again.
      const check = await checkForAttach(stores, command);
      return { ...check, ...(await commitSchema(stores, command, check.revision, options)) };
    } catch (error) {
      if (!(error instanceof CheckOutdated || error instanceof NotCaughtUpError)) throw error;
      if (performance.now() >= deadline) throw new WriteContentionError(attempt);
    }
  }
}

/** The check an attach rests on: refused when entries break the schema, unless forced. */
async function checkForAttach(stores: Stores, command: AttachSchema): Promise<SchemaCheck> {
  const view = await LedgerView.atNewest(stores);
  const check = await checkAt(stores, command.target, command.schema, view.revision);
  if (check.violating.length > 0 && !command.force) {
    throw new SchemaNotMetError(command.target, check.violating, check.checked);
  }
  return check;
}

/** Commits the schema at the revision after `checkedAt`, or throws CheckOutdated. */
async function commitSchema(
  stores: Stores,
  command: AttachSchema,
  checkedAt: Revision,
  options: CommandOptions,
): Promise<Pick<AttachResult, 'attached' | 'created'>> {
  const name = schemaEntryName(command.target);
  let created = false;
  const commit = await commitDecided(
    stores,
    {
      actor: command.actor,
      names: [name],
      decide: (states, revision) => {
        // A forced attach reports what it saw; any other must not outlive its check.
        if (!command.force && revision !== checkedAt) throw new CheckOutdated();
        const state = states.get(name) ?? initialState(name);
        created = state.current === undefined;
        return [decide({ ...setCommandOf(command, name), kind: 'set' }, state)];
      },
    },
    options,
  );
  const event = commit?.events[0];
  if (!event) throw new TypeError('An attach committed nothing.');
  return { attached: attachedOf(event), created };
}

function setCommandOf(command: AttachSchema, name: string) {
  return {
    name,
    value: command.schema,
    ...(command.comment === undefined ? {} : { comment: command.comment }),
    ...(command.expectedVersion === undefined ? {} : { expectedVersion: command.expectedVersion }),
  };
}

function attachedOf(event: ConfigEvent): AttachedSchema {
  if (event.type !== 'ConfigValueSet') throw new TypeError('An attach decided something else.');
  return attachedFromEntry(liveEntryOf(event));
}

function attachedFromEntry(entry: LiveEntry): AttachedSchema {
  return {
    target: targetOfSchemaEntry(entry.name),
    schema: entry.value,
    version: entry.version,
    revision: entry.revision,
    updatedAt: entry.updatedAt,
    updatedBy: entry.updatedBy,
  };
}

/** The live entries a target covers at a revision, checked against one schema. */
async function checkAt(
  stores: Stores,
  target: string,
  schema: JsonText,
  revision: Revision,
): Promise<SchemaCheck> {
  const { compileSchema, violationsOf } = await schemaValidation();
  const compiled = compileSchema(schema);
  const label = `${target}@new`;
  const violating: EntryViolations[] = [];
  let checked = 0;
  for await (const entry of entriesCovered(stores, target, revision)) {
    checked++;
    const violations = violationsOf(compiled, entry.value, label);
    if (violations.length > 0 && violating.length < limits.violationsMax) {
      violating.push({ name: entry.name, violations });
    }
  }
  return { revision, checked, violating };
}

/** Every live entry a target covers at a revision: the name itself, or each name under a prefix. */
async function* entriesCovered(
  stores: Stores,
  target: string,
  revision: Revision,
): AsyncGenerator<LiveEntry> {
  if (!isPrefixTarget(target)) {
    const state = await (await LedgerView.at(stores, revision)).stateOf(target);
    if (state.current) yield state.current;
    return;
  }
  await awaitProjected(stores, revision);
  let afterName: string | undefined;
  do {
    const page = await pageAt(stores, revision, {
      prefix: target,
      limit: limits.pageSizeMax,
      maxBytes: Number.POSITIVE_INFINITY,
      ...(afterName === undefined ? {} : { afterName }),
    });
    yield* page.entries;
    afterName = page.lastName;
  } while (afterName !== undefined);
}

/** The schema attached to a target now (404 when none is). */
export async function getSchema(stores: Stores, target: string): Promise<AttachedSchema> {
  const name = schemaEntryName(target);
  const view = await LedgerView.atNewest(stores, [name]);
  const state = await view.stateOf(name);
  if (!state.current) throw notAttached(target);
  return attachedFromEntry(state.current);
}

/** Every schema attached now, in target order, and the revision that shows. */
export async function listSchemas(
  stores: Stores,
): Promise<{ revision: Revision; schemas: AttachedSchema[] }> {
  const view = await LedgerView.atNewest(stores);
  await awaitProjected(stores, view.revision);
  const schemas: AttachedSchema[] = [];
  let afterName: string | undefined;
  do {
    const page = await stores.projection.page(
      schemaEntryName(''),
      limits.pageSizeMax,
      afterName,
      'schemas',
    );
    for (const state of page.states) {
      const current = await view.stateOf(state.name);
      if (current.current) schemas.push(attachedFromEntry(current.current));
    }
    afterName = page.lastName;
  } while (afterName !== undefined);
  return { revision: view.revision, schemas };
}

/** Detaches a target's schema: a deletion, kept in its history (404 when none is attached). */
export async function detachSchema(
  stores: Stores,
  command: { target: string; actor: string; comment?: string; expectedVersion?: number },
  options: CommandOptions = {},
): Promise<ConfigEvent> {
  const { target, ...rest } = command;
  try {
    return await deleteValue(stores, { ...rest, name: schemaEntryName(target) }, options);
  } catch (error) {
    if (error instanceof EntryNotFoundError) throw notAttached(target);
    throw error;
  }
}

/** A target's schema versions, attachments and detachments alike. */
export async function schemaHistory(
  stores: Stores,
  target: string,
  page: { limit: number; maxBytes: number; afterRevision?: Revision; through?: Revision },
): Promise<{ revision: Revision; result: HistoryPage }> {
  try {
    return await getHistory(stores, schemaEntryName(target), page);
  } catch (error) {
    if (error instanceof EntryNotFoundError) {
      throw new EntryNotFoundError(target, `No schema was ever attached to '${target}'.`);
    }
    throw error;
  }
}

function notAttached(target: string): EntryNotFoundError {
  return new EntryNotFoundError(target, `No schema is attached to '${target}'.`);
}
