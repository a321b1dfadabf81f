/**
 * AccountSetting loop: status is the Setting ListAccountSettings returns for the account default (the root
 * principal's), with observedGeneration and Ready. What the setting changes is read where it acts
 * (controllers/shared/account-settings.ts: instances registering while awsvpcTrunking is enabled).
 */
import { inject, injectable } from '../runtime/di.js';
import { setCondition } from '../../api/conditions.js';
import { accountSettingStatus, type AccountSettingSpec } from '../../api/v1alpha1/account-setting.js';
import { withDefaults } from '../../api/validate.js';
import type { ResourceStore } from '../../store/store.js';
import type { Clock } from '../runtime/clock.js';
import type { ReconcileOutcome, Reconciler } from '../runtime/controller.js';
import { TOKENS } from '../runtime/tokens.js';
import { writeStatus } from '../shared/status.js';

@injectable()
export class AccountSettingReconciler implements Reconciler {
  constructor(
    @inject(TOKENS.Store) private readonly store: ResourceStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  reconcile(key: string): ReconcileOutcome {
    const setting = this.store.get('AccountSetting', key);
    if (!setting) return;
    const spec = withDefaults('AccountSetting', setting.spec, { name: key }) as AccountSettingSpec;
    const generation = setting.metadata.generation;
    writeStatus(this.store, setting, {
      ...(setting.status ?? {}),
      ...accountSettingStatus(key, spec),
      observedGeneration: generation,
      conditions: setCondition(
        setting.status?.conditions,
        { type: 'Ready', status: 'True', reason: 'Applied', message: `${key} is ${spec.value} for the account`, observedGeneration: generation },
        this.clock.now(),
      ),
    });
  }
}
