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

const events = 'EVENTS_TABLE_NAME';
const projection = 'PROJECTION_TABLE_NAME';
const idempotency = 'IDEMPOTENCY_TABLE_NAME';
const feed = 'FEED_TABLE_NAME';
const idempotentWrites = [
  'dynamodb:DeleteItem on idempotency',
  'dynamodb:GetItem on idempotency',
  'dynamodb:PutItem on idempotency',
  'dynamodb:UpdateItem on idempotency',
];
const logs = ['logs:CreateLogStream on own log group', 'logs:PutLogEvents on own log group'];

/** Per function: the variables it gets besides the Powertools ones, and every permission. */
const expected: Record<FunctionName, { env: string[]; permissions: string[] }> = {
  'put-config': {
    env: [events, idempotency],
    permissions: ['dynamodb:PutItem on events', 'dynamodb:Query on events', ...idempotentWrites],
  },
  'delete-config': {
    env: [events, idempotency],
    permissions: ['dynamodb:PutItem on events', 'dynamodb:Query on events', ...idempotentWrites],
  },
  'get-config': {
    env: [events, projection],
    permissions: ['dynamodb:GetItem on projection', 'dynamodb:Query on events'],
  },
  'list-config': {
    env: [events, projection],
    permissions: [
      'dynamodb:Query on events/index/byOccurredAt',
      'dynamodb:Query on projection/index/byName',
      'dynamodb:Query on projection/index/everyName',
    ],
  },
  'export-config': {
    env: [events, projection],
    permissions: [
      'dynamodb:Query on events/index/byOccurredAt',
      'dynamodb:Query on projection/index/byName',
      'dynamodb:Query on projection/index/everyName',
    ],
  },
  'import-config': {
    env: [events],
    permissions: ['dynamodb:PutItem on events', 'dynamodb:Query on events'],
  },
  'get-config-diff': {
    env: [events, projection],
    permissions: [
      'dynamodb:Query on events/index/byOccurredAt',
      'dynamodb:Query on projection/index/everyName',
    ],
  },
  'revert-config': {
    env: [events, idempotency],
    permissions: ['dynamodb:PutItem on events', 'dynamodb:Query on events', ...idempotentWrites],
  },
  'get-diff': {
    env: [events],
    permissions: ['dynamodb:Query on events', 'dynamodb:Query on events/index/byOccurredAt'],
  },
  'get-history': {
    env: [events],
    permissions: ['dynamodb:Query on events'],
  },
  'get-at': {
    env: [events],
    permissions: ['dynamodb:Query on events/index/byOccurredAt'],
  },
  health: {
    env: [events, projection, 'HEALTH_MAX_LAG_MS'],
    permissions: [
      'dynamodb:GetItem on projection',
      'dynamodb:PutItem on events',
      'dynamodb:Query on events',
    ],
  },
  'get-changes': {
    env: [feed, 'FEED_SETTLE_MS'],
    permissions: ['dynamodb:Query on feed'],
  },
  'get-openapi': { env: [], permissions: [] },
  'route-not-found': { env: [], permissions: [] },
  projector: {
    env: [projection, feed],
    permissions: [
      'dynamodb:PutItem on feed',
      'dynamodb:DescribeStream on events stream',
      'dynamodb:GetRecords on events stream',
      'dynamodb:GetShardIterator on events stream',
      'dynamodb:ListStreams on *',
      'dynamodb:UpdateItem on projection',
      'sqs:GetQueueAttributes on dead letters',
      'sqs:GetQueueUrl on dead letters',
      'sqs:SendMessage on dead letters',
    ],
  },
  'rebuild-projection': {
    env: [events, projection, feed],
    permissions: [
      'dynamodb:BatchWriteItem on feed',
      'dynamodb:Scan on events',
      'dynamodb:UpdateItem on projection',
    ],
  },
  canary: {
    env: [events, projection, 'POWERTOOLS_METRICS_NAMESPACE'],
    permissions: [
      'dynamodb:GetItem on projection',
      'dynamodb:PutItem on events',
      'dynamodb:Query on events',
    ],
  },
};

const names = Object.keys(expected) as FunctionName[];
const commonEnv = ['POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_SERVICE_NAME'];

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
        POWERTOOLS_SERVICE_NAME: 'config-ledger',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      });
    });

    it('points the table variables at the right tables', () => {
      // Act
      const environment = environmentOf(name);

      // Assess
      if (events in environment) {
        expect(environment[events]).toEqual({ Ref: logicalIdOf(stack.eventsTable.table) });
      }
      if (projection in environment) {
        expect(environment[projection]).toEqual({ Ref: logicalIdOf(stack.projectionTable.table) });
      }
      if (feed in environment) {
        expect(environment[feed]).toEqual({ Ref: logicalIdOf(stack.feedTable.table) });
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
      expect(events in environment).toBe(source.includes('eventStoreFromEnv()'));
      expect(projection in environment).toBe(source.includes('projectionStoreFromEnv()'));
      expect(feed in environment).toBe(source.includes('feedStoreFromEnv()'));
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
