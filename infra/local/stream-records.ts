import type { _Record, AttributeValue } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, AttributeValue as LambdaAttributeValue } from 'aws-lambda';

/**
 * A record from the DynamoDB Streams API as Lambda's event source mapping hands it to a
 * function: the stream's ARN added, the creation time in epoch seconds, binaries in base64.
 */
export function toLambdaRecord(record: _Record, streamArn: string): DynamoDBRecord {
  const stream = record.dynamodb ?? {};
  const created = stream.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) } : {}),
      ...(stream.Keys ? { Keys: lambdaItem(stream.Keys) } : {}),
      ...(stream.NewImage ? { NewImage: lambdaItem(stream.NewImage) } : {}),
      ...(stream.OldImage ? { OldImage: lambdaItem(stream.OldImage) } : {}),
      SequenceNumber: stream.SequenceNumber,
      SizeBytes: stream.SizeBytes,
      StreamViewType: stream.StreamViewType,
    },
  };
}

function lambdaItem(item: Record<string, AttributeValue>): Record<string, LambdaAttributeValue> {
  return Object.fromEntries(
    Object.entries(item).map(([name, value]) => [name, lambdaValue(value)]),
  );
}

function lambdaValue(value: AttributeValue): LambdaAttributeValue {
  if (value.B) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS) return { BS: value.BS.map((member) => Buffer.from(member).toString('base64')) };
  if (value.L) return { L: value.L.map(lambdaValue) };
  if (value.M) return { M: lambdaItem(value.M) };
  // The other members (S, N, BOOL, NULL, SS, NS) have the same form in both.
  return value as LambdaAttributeValue;
}
