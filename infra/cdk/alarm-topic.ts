import { RemovalPolicy } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /**
   * An address to email alarm and recovery notifications to (the recipient confirms once).
   * @default - no subscription; subscribe whatever the team uses to the topic
   */
  readonly email?: string;
  /**
   * The sender's name in notification emails: which deployment they come from.
   * @default 'config-ledger alarms'
   */
  readonly displayName?: string;
}

/**
 * Where alarms notify: an encrypted SNS topic that only accepts TLS. The key is a customer
 * managed one because CloudWatch cannot publish to a topic under the AWS managed SNS key.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    const key = new Key(this, 'Key', {
      description: 'Encrypts the config-ledger alarm notifications.',
      enableKeyRotation: true,
      // Nothing encrypted with it outlives the topic (messages are delivered, not stored).
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.grant(
      new ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey',
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: props.displayName ?? 'config-ledger alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
  }
}
