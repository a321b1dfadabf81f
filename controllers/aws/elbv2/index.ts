/**
 * The Elastic Load Balancing v2 subset (target groups): AWS Query, `Version=2015-12-01`, signing name
 * `elasticloadbalancing`. https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/Welcome.html
 */
import type { QueryService } from '../query/handler.js';
import { elbv2Model } from '../query/model.js';
import { VALIDATION, targetGroupOperations } from './target-groups.js';

export const elbv2Service: QueryService = {
  model: elbv2Model,
  signingName: 'elasticloadbalancing',
  invalidInputType: VALIDATION,
  operations: targetGroupOperations,
};
