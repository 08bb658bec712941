import { RemovalPolicy, Validations } from 'aws-cdk-lib';
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
   * Whether the data outlives the stack and survives mistakes: the table is retained when the
   * stack is deleted or the table replaced, refuses deletion, and keeps point-in-time recovery.
   * Without it the table goes with the stack: for a stage whose data is disposable.
   * @default true
   */
  readonly protectData?: boolean;
}

/**
 * A DynamoDB table built from its shared definition, so that the deployed table, the local stack
 * and the tests cannot disagree on a key or an index. On-demand and encrypted; retained,
 * deletion-protected and recoverable to a point in time unless its data is disposable.
 */
export class LedgerTable extends Construct {
  readonly table: Table;
  readonly definition: TableDefinition;

  constructor(scope: Construct, id: string, props: LedgerTableProps) {
    super(scope, id);
    const { definition } = props;
    this.definition = definition;
    const protectData = props.protectData ?? true;
    this.table = new Table(this, 'Table', {
      partitionKey: toAttribute(definition.partitionKey),
      sortKey: definition.sortKey && toAttribute(definition.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: protectData },
      deletionProtection: protectData,
      removalPolicy: protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      stream: definition.streamNewImages ? StreamViewType.NEW_IMAGE : undefined,
      timeToLiveAttribute: definition.timeToLiveAttribute,
    });
    if (!protectData) {
      Validations.of(this.table).acknowledge({
        id: 'AwsSolutions-DDB3',
        reason:
          'The stage keeps no data worth restoring (protectData=false, the dev stage by default): point-in-time recovery would bill for backups nobody restores.',
      });
    }
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
