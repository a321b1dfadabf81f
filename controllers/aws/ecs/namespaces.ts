/**
 * ListServicesByNamespace. Service Connect namespaces (AWS Cloud Map) are not simulated: the services
 * listed are those, in any cluster, whose `serviceConnectConfiguration.namespace` is the namespace
 * given (name or ARN, compared as written), sorted by ARN; none is an empty list, never
 * NamespaceNotFoundException.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServicesByNamespace.html
 */
import { clusterOf } from '../../../api/meta.js';
import type { JsonOperation } from '../router.js';
import { arn, paginate } from './common.js';

export const namespaceOperations: Record<string, JsonOperation> = {
  ListServicesByNamespace({ app }, input) {
    const namespace = input.namespace as string;
    const serviceArns = app.store
      .list('Service')
      .filter((s) => !s.metadata.deletionTimestamp && s.status?.status !== 'INACTIVE')
      .filter((s) => s.spec.serviceConnectConfiguration?.namespace === namespace)
      .map((s) => arn.service(clusterOf(s), s.metadata.name))
      .sort();
    const page = paginate(serviceArns, input, 'ListServicesByNamespace');
    return { serviceArns: page.items, nextToken: page.nextToken };
  },
};
