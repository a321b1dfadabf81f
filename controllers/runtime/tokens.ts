/** Dependency-injection tokens (tsyringe). */
export const TOKENS = {
  Store: Symbol('Store'),
  Clock: Symbol('Clock'),
  Logger: Symbol('Logger'),
  Manager: Symbol('Manager'),
  ApiServer: Symbol('ApiServer'),
  Events: Symbol('EventRecorder'),
  Random: Symbol('Random'),
  Config: Symbol('Config'),
  Metrics: Symbol('LoadModel'),
  /** The app's prom-client Registry and instruments (RuntimeMetrics), when enabled. */
  RuntimeMetrics: Symbol('RuntimeMetrics'),
  Alarms: Symbol('AlarmStateSource'),
  Hooks: Symbol('HookResultSource'),
  EventBus: Symbol('EventBus'),
} as const;
