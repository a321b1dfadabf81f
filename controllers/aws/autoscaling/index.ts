/**
 * The EC2 Auto Scaling subset behind capacity providers: AWS Query, `Version=2011-01-01`, signing name
 * `autoscaling`. https://docs.aws.amazon.com/autoscaling/ec2/APIReference/Welcome.html
 */
import type { QueryService } from '../query/handler.js';
import { autoscalingModel } from '../query/model.js';
import { VALIDATION } from './common.js';
import { groupOperations } from './groups.js';
import { instanceOperations } from './instances.js';

export const autoscalingService: QueryService = {
  model: autoscalingModel,
  signingName: 'autoscaling',
  invalidInputType: VALIDATION,
  operations: { ...groupOperations, ...instanceOperations },
};
