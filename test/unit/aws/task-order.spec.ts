/** ListTasks' cached order (controllers/aws/ecs/task-order.ts) follows creates and deletes, not status writes. */
import { expect } from 'chai';
import type { Resource } from '../../../api/meta.js';
import { ResourceStore } from '../../../store/store.js';
import { sortedTaskIds } from '../../../controllers/aws/ecs/task-order.js';

const task = (cluster: string, name: string): Resource => ({
  apiVersion: 'ecsplane.io/v1alpha1',
  kind: 'Task',
  metadata: { name },
  spec: { cluster, taskDefinition: 'app' },
});

describe('AWS API: ListTasks task order', () => {
  it('is sorted per cluster and rebuilt on create and delete, not on status writes', () => {
    const store = new ResourceStore();
    for (const n of ['c', 'a', 'b']) store.create(task('prod', n));
    store.create(task('dev', 'z'));
    const first = sortedTaskIds(store, 'prod');
    expect(first).to.deep.equal(['a', 'b', 'c']);
    expect(sortedTaskIds(store, 'dev')).to.deep.equal(['z']);

    store.updateStatus({ ...store.get('Task', 'prod/b')!, status: { lastStatus: 'RUNNING' } });
    expect(sortedTaskIds(store, 'prod')).to.equal(first);

    store.create(task('prod', 'aa'));
    expect(sortedTaskIds(store, 'prod')).to.deep.equal(['a', 'aa', 'b', 'c']);
    store.delete('Task', 'prod/a');
    expect(sortedTaskIds(store, 'prod')).to.deep.equal(['aa', 'b', 'c']);
    expect(sortedTaskIds(store, 'dev')).to.deep.equal(['z']);
  });
});
