import type { DynamoDBRecord } from 'aws-lambda';
import type { LocalStack } from '#local/local-stack.ts';
import type { StreamDelivery } from '#local/stream-delivery.ts';

type Push = StreamDelivery['push'];

/**
 * Holds back, drops or taps the stream records the embedded engine hands to the projector. The
 * engine pushes a write's records before the writer gets its answer, so holding before a request
 * and releasing after its answer keeps exactly that request's projection out of its timing.
 */
export class ProjectorValve {
  private readonly push: Push;
  private readonly held: DynamoDBRecord[] = [];

  constructor(private readonly delivery: StreamDelivery) {
    this.push = delivery.push.bind(delivery);
  }

  static of(stack: LocalStack): ProjectorValve {
    // The bench runs on the embedded engine, whose records go through a StreamDelivery.
    const delivery = stack.delivery as StreamDelivery;
    if (typeof delivery.push !== 'function')
      throw new Error('The bench needs the embedded engine.');
    return new ProjectorValve(delivery);
  }

  /** Records are kept until `release`. */
  hold(): void {
    this.delivery.push = (records) => {
      this.held.push(...records);
    };
  }

  /**
   * Records are thrown away: only while seeding, whose commits the projector's catch-up applies
   * (a stream record only says that the log has grown).
   */
  drop(): void {
    this.delivery.push = () => {};
  }

  /** Records are also handed to `tap`, then delivered. */
  tap(tap: (records: readonly DynamoDBRecord[]) => void): void {
    this.delivery.push = (records) => {
      tap(records);
      this.push(records);
    };
  }

  /** Delivery as usual again, held records first; resolves once the projector is idle. */
  async release(): Promise<void> {
    this.delivery.push = this.push;
    const held = this.held.splice(0);
    if (held.length > 0) this.push(held);
    await this.delivery.idle();
  }

  idle(): Promise<void> {
    return this.delivery.idle();
  }
}
