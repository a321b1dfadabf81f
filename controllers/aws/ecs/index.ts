/** The ECS service of the AWS front end: `AmazonEC2ContainerServiceV20141113.<Operation>`. */
import { ecsModel } from '../model.js';
import type { JsonService } from '../router.js';
import { accountSettingOperations } from './account-settings.js';
import { attributeOperations } from './attributes.js';
import { capacityProviderOperations } from './capacity-providers.js';
import { clusterOperations } from './clusters.js';
import { containerInstanceOperations } from './container-instances.js';
import { namespaceOperations } from './namespaces.js';
import { serviceOperations } from './services.js';
import { startTaskOperations } from './start-task.js';
import { tagOperations } from './tags.js';
import { taskDefinitionOperations } from './task-definitions.js';
import { taskProtectionOperations } from './task-protection.js';
import { taskOperations } from './tasks.js';

export const ecsService: JsonService = {
  model: ecsModel,
  operations: {
    ...clusterOperations,
    ...taskDefinitionOperations,
    ...serviceOperations,
    ...taskOperations,
    ...startTaskOperations,
    ...taskProtectionOperations,
    ...namespaceOperations,
    ...containerInstanceOperations,
    ...capacityProviderOperations,
    ...attributeOperations,
    ...tagOperations,
    ...accountSettingOperations,
  },
};
