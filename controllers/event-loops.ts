/**
 * EventBridge loops (issue #13; docs/events.md): the event bus with ECS's own events on it, the Rule loop
 * (schedules and event patterns) and the Scheduler's Schedule loop. Both start tasks through the
 * admission pipeline with RunTask semantics and watch their tasks by label.
 */
import type { DependencyContainer } from 'tsyringe';
import type { ResourceStore } from '../store/store.js';
import type { Manager } from './runtime/manager.js';
import type { EventRecorder } from './runtime/events.js';
import { TOKENS } from './runtime/tokens.js';
import type { Clock } from './runtime/clock.js';
import { EventBus } from './events/bus.js';
import { EcsEventEmitter } from './events/ecs-events.js';
import { RuleReconciler, compiledPattern, ruleKeysForTask } from './events/rule-reconciler.js';
import { matchesPattern } from '../api/event-pattern.js';
import { ScheduleReconciler, scheduleKeysForTask } from './events/schedule-reconciler.js';

export function registerEventControllers(c: DependencyContainer, manager: Manager, store: ResourceStore, resyncMs: number): EventBus {
  const bus = c.resolve(EventBus);
  c.registerInstance(TOKENS.EventBus, bus);
  const clock = c.resolve<Clock>(TOKENS.Clock);
  new EcsEventEmitter(store, c.resolve<EventRecorder>(TOKENS.Events), bus, () => clock.now()).start();
  const rules = manager.add({
    name: 'events-rule',
    forKind: 'Rule',
    reconciler: c.resolve(RuleReconciler),
    resyncMs,
    watches: [{ kind: 'Rule' }, { kind: 'Task', toKeys: ruleKeysForTask }],
  });
  // A new bus event wakes the enabled pattern rules on its bus that match it. A rule reads the bus from its
  // own cursor, so one not woken catches up (past events that did not match it) the next time it runs.
  bus.stream.subscribe((ev) => {
    for (const r of store.list('Rule')) {
      const s = r.spec;
      if (typeof s?.EventPattern !== 'string' || s.State === 'DISABLED' || (s.EventBusName ?? 'default') !== ev.bus) continue;
      let hit: boolean;
      try {
        hit = matchesPattern(compiledPattern(s.EventPattern), ev.event);
      } catch {
        hit = false; // admitted patterns compile; the rule loop reports anything else
      }
      if (hit) rules.queue.add(r.metadata.name);
    }
  });
  manager.add({
    name: 'events-schedule',
    forKind: 'Schedule',
    reconciler: c.resolve(ScheduleReconciler),
    resyncMs,
    watches: [{ kind: 'Schedule' }, { kind: 'Task', toKeys: scheduleKeysForTask }],
  });
  return bus;
}
