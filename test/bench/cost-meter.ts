import {
  type AttributeValue,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Item } from '#local/item-size.ts';
import type { TableDefinition } from '#store/tables.ts';
import { indexWriteUnits, keyNames, readUnits, sizeOf, writeUnits } from './capacity.ts';
import { Tally } from './tally.ts';

/**
 * Counts the DynamoDB requests of everything in this process (the local stack's handlers and
 * projector run in it), split by table and operation, and the capacity units each would cost on
 * AWS. Every SDK client's `send` is wrapped so that its middleware stack gets a step that sees each
 * request's input as it goes on the wire (after the document client's marshalling), whichever
 * client sends it.
 *
 * Two ways to measure: `count` only counts requests (cheap, for timed runs); `measure` also
 * computes units, for which it reads the items each request touched with a client of its own
 * that is never counted: the item before a write and after an update (a write costs the larger
 * one), the item a failed condition checked, and every item a Query or Scan read in full (a
 * projection expression does not make a read cheaper). Those look-ups slow the measured requests,
 * and a write that races with another one on the same item may be costed on the wrong item, so
 * units are measured with one request at a time.
 */

type AnyInput = Record<string, unknown>;
type Send = () => Promise<unknown>;

interface KnownTable {
  readonly label: string;
  readonly definition: TableDefinition;
  /** A label of their own for some items, by key (a table holding two kinds of item). */
  readonly labelByKey?: (key: Item) => string | undefined;
}

type MiddlewareStack = DynamoDBClient['middlewareStack'];
type Next = (args: { input: object }) => Promise<unknown>;

export class CostMeter {
  private tally: Tally | undefined;
  private withUnits = false;
  private readonly tables = new Map<string, KnownTable>();
  private readonly meteredStacks = new WeakSet<MiddlewareStack>();
  private lookups: DynamoDBClient | undefined;
  private restoreSend: (() => void) | undefined;

  /**
   * Names a table in the tallies (and, with `labelByKey`, some of its items), and tells the meter
   * its keys and indexes.
   */
  register(
    tableName: string,
    definition: TableDefinition,
    label = definition.id.toLowerCase(),
    labelByKey?: KnownTable['labelByKey'],
  ) {
    this.tables.set(tableName, { label, definition, labelByKey });
  }

  /** Wraps every SDK client's `send` in the process: call once, before the clients send. */
  install(): void {
    const prototype = Object.getPrototypeOf(DynamoDBClient.prototype) as {
      send: (...args: unknown[]) => unknown;
    };
    if (Object.getPrototypeOf(DynamoDBDocumentClient.prototype) !== prototype) {
      throw new Error('The document client no longer shares the SDK client class: meter both.');
    }
    const original = prototype.send;
    const meter = this;
    prototype.send = function send(this: { middlewareStack: MiddlewareStack }, ...args) {
      meter.attachTo(this);
      return original.apply(this, args);
    };
    this.restoreSend = () => {
      prototype.send = original;
    };
  }

  uninstall(): void {
    this.restoreSend?.();
    this.lookups?.destroy();
  }

  /** Runs work and counts its requests (and everything else the process sends meanwhile). */
  count<T>(work: () => Promise<T>): Promise<{ result: T; tally: Tally }> {
    return this.run(work, false);
  }

  /** As count, with capacity units; one request at a time (see above). */
  measure<T>(work: () => Promise<T>): Promise<{ result: T; tally: Tally }> {
    return this.run(work, true);
  }

  private async run<T>(work: () => Promise<T>, withUnits: boolean) {
    if (this.tally) throw new Error('One measurement at a time.');
    const tally = new Tally();
    this.tally = tally;
    this.withUnits = withUnits;
    try {
      return { result: await work(), tally };
    } finally {
      this.tally = undefined;
    }
  }

  private attachTo(client: { middlewareStack: MiddlewareStack }): void {
    const stack = client.middlewareStack;
    if (!this.tally || client === this.lookups || this.meteredStacks.has(stack)) return;
    this.meteredStacks.add(stack);
    const middleware =
      (next: Next, context: { commandName?: string }) => (args: { input: object }) =>
        this.meter(String(context.commandName ?? '').replace(/Command$/, ''), args.input, () =>
          next(args),
        );
    // A build step's middleware, typed here by what it uses of the SDK's (generic) signature.
    stack.add(middleware as never, {
      step: 'build',
      name: 'benchCostMeter',
    });
  }

  private meter(operation: string, input: object, send: Send): Promise<unknown> {
    const tally = this.tally;
    const request = input as AnyInput;
    if (!tally) return send();
    if (!this.withUnits) {
      this.countRequest(tally, operation, request);
      return send();
    }
    switch (operation) {
      case 'GetItem':
      case 'Query':
      case 'Scan':
        return this.meterRead(tally, operation, request, send);
      case 'PutItem':
      case 'UpdateItem':
      case 'DeleteItem':
        return this.meterWrite(tally, operation, request, send);
      case 'BatchWriteItem':
        return this.meterBatchWrite(tally, request, send);
      case 'BatchGetItem':
        return this.meterBatchGet(tally, request, send);
      default:
        // Control-plane calls (DescribeTable…) cost no units.
        this.countRequest(tally, operation, request);
        return send();
    }
  }

  private countRequest(tally: Tally, operation: string, input: AnyInput): void {
    for (const table of tablesOf(input)) {
      tally.add(this.labelOf(table, this.keyOf(operation, input)), operation, { requests: 1 });
    }
  }

  private async meterRead(tally: Tally, operation: string, input: AnyInput, send: Send) {
    const output = await send();
    const table = String(input.TableName);
    const bytes =
      operation === 'GetItem'
        ? sizeOf(await this.itemAt(table, input.Key as Item))
        : await this.bytesRead(operation, input);
    tally.add(this.labelOf(table, input.Key as Item | undefined), operation, {
      requests: 1,
      readUnits: readUnits(bytes, input.ConsistentRead === true),
    });
    return output;
  }

  /** Every item a Query or Scan read, in full: the same request again, without a projection. */
  private async bytesRead(operation: string, input: AnyInput): Promise<number> {
    const full = withoutProjection(input);
    const client = this.lookupClient();
    const result =
      operation === 'Query'
        ? await client.send(new QueryCommand(full as unknown as QueryCommandInput))
        : await client.send(new ScanCommand(full as unknown as ScanCommandInput));
    return (result.Items ?? []).reduce((sum, item) => sum + sizeOf(item), 0);
  }

  private async meterWrite(tally: Tally, operation: string, input: AnyInput, send: Send) {
    const table = String(input.TableName);
    const { definition } = this.known(table);
    const key =
      operation === 'PutItem' ? keyOf(definition, input.Item as Item) : (input.Key as Item);
    const label = this.labelOf(table, key);
    const before = await this.itemAt(table, key);
    try {
      const output = await send();
      const after =
        operation === 'DeleteItem'
          ? undefined
          : operation === 'PutItem'
            ? (input.Item as Item)
            : await this.itemAt(table, key);
      tally.add(label, operation, {
        requests: 1,
        writeUnits: writeUnits(before, after) + indexWriteUnits(definition, before, after),
      });
      return output;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') {
        tally.add(label, operation, { requests: 1 });
        throw error;
      }
      const checked = await this.itemAt(table, key);
      tally.add(label, operation, {
        requests: 1,
        writeUnits: writeUnits(checked, undefined),
        conditionFailures: 1,
      });
      throw error;
    }
  }

  /**
   * Each key of a batch is a read of its own, rounded up on its own as a GetItem (a key with no
   * item too); unprocessed keys are not expected here.
   */
  private async meterBatchGet(tally: Tally, input: AnyInput, send: Send) {
    const output = await send();
    const requested = Object.entries(
      input.RequestItems as Record<string, { Keys: Item[]; ConsistentRead?: boolean }>,
    );
    for (const [table, { Keys, ConsistentRead }] of requested) {
      const sizes = await Promise.all(
        Keys.map(async (key) => sizeOf(await this.itemAt(table, key))),
      );
      tally.add(this.labelOf(table), 'BatchGetItem', {
        requests: 1,
        readUnits: sizes.reduce((sum, bytes) => sum + readUnits(bytes, ConsistentRead === true), 0),
      });
    }
    return output;
  }

  /** Each item of a batch is a write of its own; unprocessed items are not expected here. */
  private async meterBatchWrite(tally: Tally, input: AnyInput, send: Send) {
    const writes = await Promise.all(
      Object.entries(input.RequestItems as Record<string, WriteRequest[]>).flatMap(
        ([table, requests]) =>
          requests.map(async (request) => {
            const { definition } = this.known(table);
            const after = request.PutRequest?.Item;
            const key = after ? keyOf(definition, after) : (request.DeleteRequest?.Key ?? {});
            return { table, definition, before: await this.itemAt(table, key), after };
          }),
      ),
    );
    const output = await send();
    for (const table of new Set(writes.map((write) => write.table))) {
      const units = writes
        .filter((write) => write.table === table)
        .reduce(
          (sum, { definition, before, after }) =>
            sum + writeUnits(before, after) + indexWriteUnits(definition, before, after),
          0,
        );
      tally.add(this.labelOf(table), 'BatchWriteItem', { requests: 1, writeUnits: units });
    }
    return output;
  }

  private async itemAt(table: string, key: Item): Promise<Item | undefined> {
    const result = await this.lookupClient().send(
      new GetItemCommand({
        TableName: table,
        Key: key as Record<string, AttributeValue>,
        ConsistentRead: true,
      }),
    );
    return result.Item;
  }

  /** Created on first use: the local stack sets the engine's endpoint after install. */
  private lookupClient(): DynamoDBClient {
    this.lookups ??= new DynamoDBClient({});
    return this.lookups;
  }

  private known(table: string): KnownTable {
    const known = this.tables.get(table);
    if (!known) throw new Error(`The cost meter does not know table ${table}: register it.`);
    return known;
  }

  private labelOf(table: string, key?: Item): string {
    const known = this.tables.get(table);
    if (!known) return table;
    return (key && known.labelByKey?.(key)) ?? known.label;
  }

  /** The key of the one item a request names, if it names one. */
  private keyOf(operation: string, input: AnyInput): Item | undefined {
    if (input.Key) return input.Key as Item;
    const known = this.tables.get(String(input.TableName));
    if (operation !== 'PutItem' || !known) return undefined;
    return keyOf(known.definition, input.Item as Item);
  }
}

interface WriteRequest {
  readonly PutRequest?: { readonly Item: Item };
  readonly DeleteRequest?: { readonly Key: Item };
}

function tablesOf(input: AnyInput): string[] {
  if (typeof input.TableName === 'string') return [input.TableName];
  const batch = input.RequestItems;
  return batch && typeof batch === 'object' ? Object.keys(batch) : ['(no table)'];
}

function keyOf(definition: TableDefinition, item: Item): Item {
  return Object.fromEntries(keyNames(definition).map((name) => [name, item[name] as object]));
}

/** A read request without what narrows its answer, and the names only that used. */
function withoutProjection(input: AnyInput): AnyInput {
  const {
    ProjectionExpression: _projection,
    Select: _select,
    ExpressionAttributeNames: names,
    ...rest
  } = input;
  const expressions = [rest.KeyConditionExpression, rest.FilterExpression].join(' ');
  const used = Object.entries((names ?? {}) as Record<string, string>).filter(([token]) =>
    new RegExp(`${token}\\b`).test(expressions),
  );
  return used.length > 0 ? { ...rest, ExpressionAttributeNames: Object.fromEntries(used) } : rest;
}
