/**
 * Amazon SQS (AWS JSON 1.0, `X-Amz-Target: AmazonSQS.<Operation>`) over the Queue kind: queues are created
 * and deleted through the admission pipeline; messages become counts in the queue's status (the queue loop's
 * model), so SendMessage keeps no body. Queue URLs point back at this server: http://<host>/<account>/<name>.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/Welcome.html
 */
import { createHash, randomUUID } from 'node:crypto';
import { ACCOUNT } from '../../../api/arn.js';
import type { Resource } from '../../../api/meta.js';
import { INT_ATTRIBUTES, queueWithDefaults } from '../../../api/v1alpha1/queue.js';
import { validateResource } from '../../../api/validate.js';
import { sendMessages } from '../../queues/reconciler.js';
import { applyOne } from '../ecs/apply.js';
import { resource, without } from '../ecs/common.js';
import { AwsError } from '../errors.js';
import { sqsModel } from '../model.js';
import type { JsonOperation, JsonService, RequestContext } from '../router.js';

const NOT_FOUND = 'QueueDoesNotExist';
const INVALID = 'InvalidParameterValue';
const MAX_BATCH = 10;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;

const queueUrl = (ctx: RequestContext, name: string) => `http://${ctx.host ?? 'localhost:4566'}/${ACCOUNT}/${name}`;

/** The queue a QueueUrl (or a bare name) names; QueueDoesNotExist otherwise. */
function queueOf(ctx: RequestContext, url: unknown): Resource {
  const name = typeof url === 'string' ? url.slice(url.lastIndexOf('/') + 1) : '';
  const q = name ? ctx.app.store.get('Queue', name) : undefined;
  if (!q || q.metadata.deletionTimestamp) throw new AwsError(NOT_FOUND, 'The specified queue does not exist.');
  return q;
}

/** GetQueueAttributes: the configured attributes (defaulted), the counts and the identity ones. */
function attributesOf(q: Resource): Record<string, string> {
  const spec = queueWithDefaults(q.spec, { name: q.metadata.name });
  const s = q.status ?? {};
  const created = s.CreatedTimestamp ?? String(Math.floor(Date.parse(q.metadata.creationTimestamp ?? '1970-01-01T00:00:00Z') / 1000));
  return {
    ...spec.Attributes,
    QueueArn: s.QueueArn ?? `arn:aws:sqs:us-east-1:${ACCOUNT}:${q.metadata.name}`,
    ApproximateNumberOfMessages: String(s.ApproximateNumberOfMessages ?? 0),
    ApproximateNumberOfMessagesNotVisible: String(s.ApproximateNumberOfMessagesNotVisible ?? 0),
    ApproximateNumberOfMessagesDelayed: String(s.ApproximateNumberOfMessagesDelayed ?? 0),
    CreatedTimestamp: created,
    LastModifiedTimestamp: created,
  };
}

const md5 = (body: string) => createHash('md5').update(body, 'utf8').digest('hex');

function checkDelay(d: unknown, field: string): void {
  if (d !== undefined && !(Number.isInteger(d) && (d as number) >= 0 && (d as number) <= INT_ATTRIBUTES.DelaySeconds[1])) {
    throw new AwsError(INVALID, `Value ${String(d)} for parameter ${field} is invalid. Reason: must be between 0 and 900, if provided.`);
  }
}

export const sqsOperations: Record<string, JsonOperation> = {
  /** Idempotent for the same attributes; a different value for an existing queue is QueueNameExists. */
  async CreateQueue(ctx, input) {
    validateResource(resource('Queue', input.QueueName, without(input))); // bad values first, as SQS reports them
    const current = ctx.app.store.get('Queue', input.QueueName);
    if (current) {
      const have = queueWithDefaults(current.spec).Attributes;
      const want = queueWithDefaults(without(input)).Attributes;
      const differs = Object.keys({ ...have, ...want }).find((k) => have[k] !== want[k]);
      if (differs) throw new AwsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${differs}`);
      return { QueueUrl: queueUrl(ctx, input.QueueName) };
    }
    const q = await applyOne(ctx.app, resource('Queue', input.QueueName, without(input)));
    return { QueueUrl: queueUrl(ctx, q.metadata.name) };
  },

  GetQueueUrl(ctx, input) {
    return { QueueUrl: queueUrl(ctx, queueOf(ctx, input.QueueName).metadata.name) };
  },

  GetQueueAttributes(ctx, input) {
    const all = attributesOf(queueOf(ctx, input.QueueUrl));
    const names: string[] = input.AttributeNames ?? [];
    if (names.length === 0) return {};
    if (names.includes('All')) return { Attributes: all };
    const unknown = names.find((n) => !(n in all) && !['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled', 'FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'].includes(n));
    if (unknown) throw new AwsError('InvalidAttributeName', `Unknown Attribute ${unknown}.`);
    return { Attributes: Object.fromEntries(names.filter((n) => n in all).map((n) => [n, all[n]])) };
  },

  async SendMessage(ctx, input) {
    const q = queueOf(ctx, input.QueueUrl);
    if (typeof input.MessageBody !== 'string' || input.MessageBody === '') throw new AwsError('MissingParameter', 'The request must contain the parameter MessageBody.');
    checkDelay(input.DelaySeconds, 'DelaySeconds');
    sendMessages(ctx.app.store, q.metadata.name, 1, ctx.app.clock.now(), input.DelaySeconds);
    await ctx.app.api.persist();
    return { MessageId: randomUUID(), MD5OfMessageBody: md5(input.MessageBody) };
  },

  async SendMessageBatch(ctx, input) {
    const q = queueOf(ctx, input.QueueUrl);
    const entries: Array<{ Id: string; MessageBody: string; DelaySeconds?: number }> = input.Entries ?? [];
    if (entries.length === 0) throw new AwsError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
    if (entries.length > MAX_BATCH) throw new AwsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_BATCH}. You have sent ${entries.length}.`);
    const ids = new Set<string>();
    for (const e of entries) {
      if (!BATCH_ID.test(e.Id)) throw new AwsError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
      if (ids.has(e.Id)) throw new AwsError('BatchEntryIdsNotDistinct', `Id ${e.Id} repeated.`);
      ids.add(e.Id);
    }
    const Successful: unknown[] = [];
    const Failed: unknown[] = [];
    const now = ctx.app.clock.now();
    for (const e of entries) {
      if (typeof e.MessageBody !== 'string' || e.MessageBody === '') {
        Failed.push({ Id: e.Id, SenderFault: true, Code: 'MissingParameter', Message: 'The request must contain the parameter MessageBody.' });
        continue;
      }
      checkDelay(e.DelaySeconds, `SendMessageBatchRequestEntry.${e.Id}.DelaySeconds`);
      sendMessages(ctx.app.store, q.metadata.name, 1, now, e.DelaySeconds);
      Successful.push({ Id: e.Id, MessageId: randomUUID(), MD5OfMessageBody: md5(e.MessageBody) });
    }
    await ctx.app.api.persist();
    return { Successful, Failed };
  },

  async DeleteQueue(ctx, input) {
    await ctx.app.api.deleteAndPersist('Queue', queueOf(ctx, input.QueueUrl).metadata.name);
    return {};
  },

  ListQueues(ctx, input) {
    const prefix: string = input.QueueNamePrefix ?? '';
    const max: number = input.MaxResults ?? 1000;
    if (max < 1 || max > 1000) throw new AwsError(INVALID, 'Value for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.');
    const names = ctx.app.store
      .list('Queue')
      .filter((q) => !q.metadata.deletionTimestamp && q.metadata.name.startsWith(prefix))
      .map((q) => q.metadata.name)
      .sort();
    const start = input.NextToken ? Number(Buffer.from(String(input.NextToken), 'base64url').toString('utf8').replace(/^ListQueues:/, '')) : 0;
    if (!Number.isInteger(start) || start < 0) throw new AwsError(INVALID, 'Invalid NextToken.');
    const page = names.slice(start, start + max);
    const more = input.MaxResults !== undefined && start + max < names.length;
    return { QueueUrls: page.map((n) => queueUrl(ctx, n)), ...(more ? { NextToken: Buffer.from(`ListQueues:${start + max}`).toString('base64url') } : {}) };
  },
};

export const sqsService: JsonService = { model: sqsModel, invalidInputType: INVALID, operations: sqsOperations };
