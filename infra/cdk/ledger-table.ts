import { RemovalPolicy } from 'aws-cdk-lib';
import {
  type Attribute,
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { IndexDefinition, KeyAttribute, TableDefinition } from '#store/tables.ts';

export interface LedgerTableProps {
  /** The shared definition (functions/store/tables.ts): keys, indexes, stream, TTL. */
  readonly definition: TableDefinition;
  /**
   * What happens to the table when the stack is deleted or the table replaced.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A DynamoDB table built from its shared definition, so that the deployed table, the local stack
 * and the tests cannot disagree on a key or an index. On-demand, encrypted, point-in-time
 * recovery and deletion protection: both tables hold production data.
 */
export class LedgerTable extends Construct {
  readonly table: Table;
  readonly definition: TableDefinition;

  constructor(scope: Construct, id: string, props: LedgerTableProps) {
    super(scope, id);
    const { definition } = props;
    this.definition = definition;
    this.table = new Table(this, 'Table', {
      partitionKey: toAttribute(definition.partitionKey),
      sortKey: definition.sortKey && toAttribute(definition.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      stream: definition.streamNewImages ? StreamViewType.NEW_IMAGE : undefined,
      timeToLiveAttribute: definition.timeToLiveAttribute,
    });
    for (const index of definition.localIndexes) {
      this.table.addLocalSecondaryIndex({
        indexName: index.indexName,
        sortKey: toAttribute(index.sortKey),
        ...projectionOf(index),
      });
    }
    for (const index of definition.globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: toAttribute(index.partitionKey ?? definition.partitionKey),
        sortKey: toAttribute(index.sortKey),
        ...projectionOf(index),
      });
    }
  }

  get tableName(): string {
    return this.table.tableName;
  }

  /** The environment variable through which functions learn this table's name. */
  get tableNameVariable(): string {
    return this.definition.tableNameVariable;
  }

  /** The ARN of one of the table's indexes: queries on an index are authorized on it. */
  indexArn(indexName: string): string {
    const indexes = [...this.definition.localIndexes, ...this.definition.globalIndexes];
    if (!indexes.some((index) => index.indexName === indexName)) {
      throw new Error(`Table ${this.definition.id} has no index named ${indexName}.`);
    }
    return `${this.table.tableArn}/index/${indexName}`;
  }
}

function toAttribute(key: KeyAttribute): Attribute {
  return { name: key.name, type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER };
}

function projectionOf({ projection = { type: 'ALL' } }: IndexDefinition) {
  switch (projection.type) {
    case 'INCLUDE':
      return {
        projectionType: ProjectionType.INCLUDE,
        nonKeyAttributes: [...projection.attributes],
      };
    case 'KEYS_ONLY':
      return { projectionType: ProjectionType.KEYS_ONLY };
    default:
      return { projectionType: ProjectionType.ALL };
  }
}
