import { describe, expect, it } from 'vitest';
import { type TableDefinition, tableDefinitions } from '#store/tables.ts';
import { type Synthesized, synthesize } from './support/synth.ts';
import { logicalIdOf } from './support/template-queries.ts';

/** The default stage, whose data is disposable, and one that keeps its data. */
const dev = synthesize();
const prod = synthesize({ context: { stage: 'prod' } });

function keySchema(partitionKey: string, sortKey?: string) {
  return [
    { AttributeName: partitionKey, KeyType: 'HASH' },
    ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' }] : []),
  ];
}

interface TableResource {
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

function tableResource(
  definition: TableDefinition,
  { stack, template }: Synthesized = dev,
): TableResource {
  const table = [
    stack.logTable,
    stack.historyTable,
    stack.projectionTable,
    stack.idempotencyTable,
    stack.snapshotTable,
  ].find((candidate) => candidate.definition === definition);
  if (!table) throw new Error(`The stack has no table for ${definition.id}.`);
  return template.toJSON().Resources[logicalIdOf(table.table)];
}

describe('Construct: LedgerTable', () => {
  it('creates exactly the shared tables', () => {
    // Assess
    dev.template.resourceCountIs('AWS::DynamoDB::Table', tableDefinitions.length);
  });

  describe.each(tableDefinitions.map((definition) => [definition.id, definition] as const))(
    'Table: %s',
    (_, definition) => {
      it('has the keys of its shared definition', () => {
        // Act
        const { Properties } = tableResource(definition);

        // Assess
        expect(Properties.KeySchema).toEqual(
          keySchema(definition.partitionKey.name, definition.sortKey?.name),
        );
        const keys = [
          definition.partitionKey,
          definition.sortKey,
          ...definition.localIndexes.map((index) => index.sortKey),
          ...definition.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
        ].filter((key) => key !== undefined);
        const attributes = new Map(keys.map((key) => [key.name, key.type]));
        expect(Properties.AttributeDefinitions).toEqual(
          expect.arrayContaining(
            [...attributes].map(([AttributeName, AttributeType]) => ({
              AttributeName,
              AttributeType,
            })),
          ),
        );
        expect(Properties.AttributeDefinitions).toHaveLength(attributes.size);
      });

      it('has the indexes of its shared definition, projecting every attribute', () => {
        // Act
        const { Properties } = tableResource(definition);

        // Assess
        const local = definition.localIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: keySchema(definition.partitionKey.name, index.sortKey.name),
          Projection: { ProjectionType: 'ALL' },
        }));
        const global = definition.globalIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: keySchema(
            (index.partitionKey ?? definition.partitionKey).name,
            index.sortKey.name,
          ),
          Projection: { ProjectionType: 'ALL' },
        }));
        expect(Properties.LocalSecondaryIndexes).toEqual(local.length ? local : undefined);
        expect(Properties.GlobalSecondaryIndexes).toEqual(global.length ? global : undefined);
      });

      it('streams new images when the definition asks for it', () => {
        // Act
        const { Properties } = tableResource(definition);

        // Assess
        expect(Properties.StreamSpecification).toEqual(
          definition.streamNewImages ? { StreamViewType: 'NEW_IMAGE' } : undefined,
        );
      });

      it('expires items on the definition’s TTL attribute, if any', () => {
        // Act
        const { Properties } = tableResource(definition);

        // Assess
        expect(Properties.TimeToLiveSpecification).toEqual(
          definition.timeToLiveAttribute
            ? { AttributeName: definition.timeToLiveAttribute, Enabled: true }
            : undefined,
        );
      });

      it('is on-demand and encrypted, with a name CloudFormation makes unique', () => {
        // Act
        const { Properties } = tableResource(definition);

        // Assess
        expect(Properties).toMatchObject({
          BillingMode: 'PAY_PER_REQUEST',
          SSESpecification: { SSEEnabled: true },
        });
        expect(Properties.TableName).toBeUndefined();
      });

      it('outlives the stack of a stage that keeps its data, recoverable and undeletable', () => {
        // Act
        const resource = tableResource(definition, prod);

        // Assess
        expect(resource.Properties).toMatchObject({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        });
        expect(resource.DeletionPolicy).toBe('Retain');
        expect(resource.UpdateReplacePolicy).toBe('Retain');
      });

      it('goes with the stack of the dev stage, whose data is disposable', () => {
        // Act
        const resource = tableResource(definition, dev);

        // Assess
        expect(resource.Properties).toMatchObject({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
          DeletionProtectionEnabled: false,
        });
        expect(resource.DeletionPolicy).toBe('Delete');
        expect(resource.UpdateReplacePolicy).toBe('Delete');
      });
    },
  );
});
