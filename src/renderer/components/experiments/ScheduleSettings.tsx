// The learning-rate schedule in the settings: which one (from the schedule registry), its
// settings (optimizer hyperparameters, with their ranges and help from the registry), and a
// small curve of the rate over the steps, with the trainer's current rate marked on it.
import { HYPERPARAMETERS } from '../../../shared/optimizers';
import { CONSTANT_SCHEDULE, isScheduleName, SCHEDULE_NAMES, scheduleHyperNames, SCHEDULES, switchSchedule, type ScheduleEntry } from '../../../shared/schedules';
import { useActions, useUi } from '../../hooks/useUi';
import { NumberField } from '../NumberField';
import { LrCurve } from './LrCurve';
import './experiments.css';

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function ScheduleSettings() {
  const actions = useActions();
  const optimizer = useUi((s) => s.draft.optimizer);
  const schedule = optimizer.schedule ?? CONSTANT_SCHEDULE;
  const entry: ScheduleEntry = SCHEDULES[schedule.type];
  const conflict = entry.check?.(schedule.hyper) ?? null;
  const setSchedule = (next: typeof schedule) => actions.setDraft({ optimizer: { ...optimizer, schedule: next } });

  return (
    <div className="schedule" data-testid="lr-schedule">
      <div className="field" title={entry.description}>
        <label htmlFor="hp-schedule">Learning-rate schedule</label>
        <select
          id="hp-schedule"
          data-testid="hp-schedule"
          value={schedule.type}
          onChange={(e) => {
            if (isScheduleName(e.target.value)) setSchedule(switchSchedule(schedule, e.target.value));
          }}
        >
          {SCHEDULE_NAMES.map((name) => (
            <option key={name} value={name}>
              {SCHEDULES[name].label}
            </option>
          ))}
        </select>
      </div>
      {scheduleHyperNames(schedule.type).map((name) => {
        const setting = HYPERPARAMETERS[name];
        return (
          <NumberField
            key={`${schedule.type}-${name}`}
            label={setting.label}
            help={setting.help}
            testId={`hp-${kebab(name)}`}
            value={schedule.hyper[name]}
            min={setting.min}
            max={setting.max}
            integer={setting.kind === 'int'}
            onChange={(v) => setSchedule({ ...schedule, hyper: { ...schedule.hyper, [name]: v } })}
          />
        );
      })}
      {conflict && (
        <p className="field-error schedule-conflict" role="alert">
          {conflict}
        </p>
      )}
      <LrCurve optimizer={optimizer} />
    </div>
  );
}
