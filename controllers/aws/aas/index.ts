/**
 * Application Auto Scaling (ECS services only): AWS JSON 1.1, `X-Amz-Target: AnyScaleFrontendService.<Operation>`;
 * input outside the model is a ValidationException, as AAS sends it.
 * https://docs.aws.amazon.com/autoscaling/application/APIReference/Welcome.html
 */
import { aasModel } from '../query/model.js';
import type { JsonService } from '../router.js';
import { activityOperations } from './activities.js';
import { VALIDATION } from './common.js';
import { policyOperations } from './policies.js';
import { scheduledActionOperations } from './scheduled-actions.js';
import { targetOperations } from './targets.js';

export const aasService: JsonService = {
  model: aasModel,
  invalidInputType: VALIDATION,
  operations: { ...targetOperations, ...policyOperations, ...scheduledActionOperations, ...activityOperations },
};
