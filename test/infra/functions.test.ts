import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { FunctionName } from '../../infra/cdk/function-catalog.ts';
import { synthesize } from './support/synth.ts';
import {
  allGrantedActions,
  functionLogicalId,
  logicalIdOf,
  permissionsOf,
  resourceProperties,
} from './support/template-queries.ts';

const { stack, template } = synthesize();

const log = 'LOG_TABLE_NAME';
const history = 'HISTORY_TABLE_NAME';
const projection = 'PROJECTION_TABLE_NAME';
const idempotency = 'IDEMPOTENCY_TABLE_NAME';
const snapshots = 'SNAPSHOT_TABLE_NAME';
const readsSnapshots = ['dynamodb:GetItem on snapshots', 'dynamodb:Query on snapshots'];
const idempotentWrites = [
  'dynamodb:DeleteItem on idempotency',
  'dynamodb:GetItem on idempotency',
  'dynamodb:PutItem on idempotency',
  'dynamodb:UpdateItem on idempotency',
];
const logs = ['logs:CreateLogStream on own log group', 'logs:PutLogEvents on own log group'];
const readsLog = ['dynamodb:GetItem on log', 'dynamodb:Query on log'];
const readsOneName = [...readsLog, 'dynamodb:Query on history', 'dynamodb:GetItem on projection'];
const readsManyNames = [...readsOneName, 'dynamodb:Query on projection'];
const commits = [...readsOneName, 'dynamodb:BatchGetItem on projection', 'dynamodb:PutItem on log'];
const projects = [
  'dynamodb:Query on log',
  'dynamodb:BatchWriteItem on history',
  'dynamodb:GetItem on projection',
  'dynamodb:UpdateItem on projection',
];
const measuresLag = [...readsLog, 'dynamodb:GetItem on projection'];
const views = [log, history, projection];

/** Per function: the variables it gets besides the Powertools ones, and every permission. */
const expected: Record<FunctionName, { env: string[]; permissions: string[] }> = {
  'put-config': { env: [...views, idempotency], permissions: [...commits, ...idempotentWrites] },
  'delete-config': { env: [...views, idempotency], permissions: [...commits, ...idempotentWrites] },
  'revert-config': { env: [...views, idempotency], permissions: [...commits, ...idempotentWrites] },
  'import-config': { env: views, permissions: commits },
  'apply-changeset': {
    env: [...views, idempotency],
    permissions: [...commits, ...idempotentWrites],
  },
  'get-config': { env: views, permissions: readsOneName },
  'get-diff': { env: views, permissions: readsOneName },
  'get-history': { env: views, permissions: readsOneName },
  'verify-log': { env: views, permissions: readsOneName },
  'get-at': { env: views, permissions: readsOneName },
  'list-config': { env: views, permissions: readsManyNames },
  'export-config': {
    env: [...views, snapshots],
    permissions: [...readsManyNames, ...readsSnapshots],
  },
  'get-config-diff': { env: views, permissions: readsManyNames },
  health: { env: [log, projection, 'HEALTH_MAX_LAG_MS'], permissions: measuresLag },
  canary: { env: [log, projection, 'POWERTOOLS_METRICS_NAMESPACE'], permissions: measuresLag },
  'get-changes': { env: [log], permissions: readsLog },
  'take-snapshot': {
    env: [log, snapshots],
    permissions: [...readsLog, ...readsSnapshots, 'dynamodb:PutItem on snapshots'],
  },
  'put-schema': { env: views, permissions: [...commits, 'dynamodb:Query on projection'] },
  'get-schema': {
    env: views,
    permissions: [...readsOneName, 'dynamodb:BatchGetItem on projection'],
  },
  'list-schemas': { env: views, permissions: readsManyNames },
  'delete-schema': { env: views, permissions: commits },
  'get-schema-history': { env: views, permissions: readsOneName },
  'get-openapi': { env: [], permissions: [] },
  'route-not-found': { env: [], permissions: [] },
  projector: {
    env: views,
    permissions: [
      ...projects,
      'dynamodb:DescribeStream on log stream',
      'dynamodb:GetRecords on log stream',
      'dynamodb:GetShardIterator on log stream',
      'dynamodb:ListStreams on *',
      'sqs:GetQueueAttributes on dead letters',
      'sqs:GetQueueUrl on dead letters',
      'sqs:SendMessage on dead letters',
    ],
  },
  'rebuild-projection': { env: views, permissions: projects },
  'publish-changes': {
    env: [
      'CHANGE_EVENTS_BUS_NAME',
      'CHANGE_EVENTS_SOURCE',
      'CHANGE_EVENTS_VALUES',
      'PUSH_PUBLISH_URL',
    ],
    // The log's stream, the bus and the push's changes namespace: no table, and nothing else.
    permissions: [
      'appsync:EventPublish on arn:<AWS::Partition>:appsync:<AWS::Region>:<AWS::AccountId>:apis/PushApi1A72912C/channelNamespace/changes',
      'dynamodb:DescribeStream on log stream',
      'dynamodb:GetRecords on log stream',
      'dynamodb:GetShardIterator on log stream',
      'dynamodb:ListStreams on *',
      'events:PutEvents on change events bus',
      'sqs:GetQueueAttributes on publisher dead letters',
      'sqs:GetQueueUrl on publisher dead letters',
      'sqs:SendMessage on publisher dead letters',
    ],
  },
};

const names = Object.keys(expected) as FunctionName[];
const commonEnv = ['POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_TRACE_ENABLED'];

function environmentOf(name: FunctionName): Record<string, unknown> {
  const properties = resourceProperties(template, functionLogicalId(stack, name));
  return (properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

describe('Construct: LedgerFunctions', () => {
  it('creates one function per handler, and no other', () => {
    // Assess
    template.resourceCountIs('AWS::Lambda::Function', names.length);
  });

  describe.each(names)('Function: %s', (name) => {
    it('runs Node.js 22 on ARM64 with its own log group', () => {
      // Prepare
      const fn = stack.functions.get(name);

      // Assess
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: Match.absent(),
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: { LogGroup: { Ref: logicalIdOf(fn.logGroup) } },
        Role: { 'Fn::GetAtt': [logicalIdOf(fn.function.role ?? fn), 'Arn'] },
      });
      expect(resourceProperties(template, logicalIdOf(fn.logGroup))).toEqual({
        RetentionInDays: 30,
      });
    });

    it('gets exactly the variables its handler reads', () => {
      // Act
      const environment = environmentOf(name);

      // Assess
      expect(Object.keys(environment).sort()).toEqual([...commonEnv, ...expected[name].env].sort());
      expect(environment).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'config-ledger-dev',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      });
    });

    it('points the table variables at the right tables', () => {
      // Act
      const environment = environmentOf(name);

      // Assess
      const tables = {
        [log]: stack.logTable,
        [history]: stack.historyTable,
        [projection]: stack.projectionTable,
        [idempotency]: stack.idempotencyTable,
      };
      for (const [variable, table] of Object.entries(tables)) {
        if (variable in environment) {
          expect(environment[variable]).toEqual({ Ref: logicalIdOf(table.table) });
        }
      }
    });

    it('may do exactly what its handler needs', () => {
      // Act
      const permissions = permissionsOf(stack, template, name);

      // Assess
      expect(permissions).toEqual([...logs, ...expected[name].permissions].sort());
    });
  });

  // The handlers read their table variables at load: a store built in a handler's source means
  // the variable must be set, and a variable no store reads must not be.
  describe.each(names)('Handler source: %s', (name) => {
    it('builds exactly the stores whose table variables the deployment sets', () => {
      // Prepare
      const source = readFileSync(`functions/handlers/${name}.ts`, 'utf8');

      // Act
      const environment = environmentOf(name);

      // Assess
      const all = source.includes('storesFromEnv()');
      expect(log in environment).toBe(all || source.includes('logStoreFromEnv()'));
      expect(history in environment).toBe(all);
      expect(projection in environment).toBe(all || source.includes('projectionStoreFromEnv()'));
    });
  });

  it('grants no wildcard action anywhere in the stack', () => {
    // Act
    const actions = allGrantedActions(template);

    // Assess
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('uses no AWS managed policy', () => {
    // Assess
    template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });
});
