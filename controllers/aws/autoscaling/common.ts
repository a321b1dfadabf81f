/** Helpers the EC2 Auto Scaling operations share: the error code and `MaxRecords` / `NextToken` paging. */
import { AwsError } from '../errors.js';

export const VALIDATION = 'ValidationError';

/** Tokens are opaque and bound to the operation; a bad one is InvalidNextToken, as AWS sends it. */
export function pageOf<T>(items: T[], input: { MaxRecords?: number; NextToken?: string }, op: string, max: number, byDefault: number): { items: T[]; NextToken?: string } {
  const limit = input.MaxRecords ?? byDefault;
  if (limit < 1 || limit > max) throw new AwsError(VALIDATION, `MaxRecords must be between 1 and ${max}.`);
  let start = 0;
  if (input.NextToken) {
    const m = /^([A-Za-z]+):(\d{1,9})$/.exec(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
    if (!m || m[1] !== op) throw new AwsError('InvalidNextToken', 'The token is invalid.');
    start = Number(m[2]);
  }
  const page = items.slice(start, start + limit);
  return start + limit < items.length ? { items: page, NextToken: Buffer.from(`${op}:${start + limit}`).toString('base64url') } : { items: page };
}
