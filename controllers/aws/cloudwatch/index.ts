/**
 * CloudWatch PutMetricData and the metric alarm operations (alarms.ts) in the protocols clients send today: AWS JSON 1.0
 * (`X-Amz-Target: GraniteServiceVersion20100801.PutMetricData`: @aws-sdk/client-cloudwatch 3.x and the
 * aws CLI on botocore 1.43, which prefer it to CBOR) and AWS Query (`Version=2010-08-01`, older clients).
 */
import type { QueryService } from '../query/handler.js';
import { cloudwatchModel } from '../query/model.js';
import type { JsonService } from '../router.js';
import { INVALID_VALUE, putMetricData } from './put-metric-data.js';
import { alarmOperations } from './alarms.js';

export const cloudwatchJsonService: JsonService = {
  model: cloudwatchModel,
  invalidInputType: INVALID_VALUE,
  operations: { PutMetricData: putMetricData, ...alarmOperations },
};

export const cloudwatchQueryService: QueryService = {
  model: cloudwatchModel,
  signingName: 'monitoring',
  invalidInputType: INVALID_VALUE,
  operations: { PutMetricData: putMetricData, ...alarmOperations },
};
