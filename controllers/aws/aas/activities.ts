/** DescribeScalingActivities: from the targets' status.ScalingActivities (controllers/autoscaling), newest first. */
import type { JsonOperation } from '../router.js';
import { matches, paginate } from './common.js';

export const activityOperations: Record<string, JsonOperation> = {
  DescribeScalingActivities({ app }, input) {
    const all = app.store
      .list('ScalableTarget')
      .filter((t) => matches(t.spec, input))
      .flatMap((t) => (t.status?.ScalingActivities ?? []) as Array<Record<string, unknown>>)
      .sort((a, b) => String(b.StartTime).localeCompare(String(a.StartTime)) || String(b.ActivityId).localeCompare(String(a.ActivityId)));
    const page = paginate(all, input, 'DescribeScalingActivities', 50);
    return { ScalingActivities: page.items, NextToken: page.NextToken };
  },
};
