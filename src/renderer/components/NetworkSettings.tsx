// The network part of the settings panel: a preset (the names `--arch` takes), the default
// model's hidden width when the draft has its shape, and the way into the architecture editor.
// Every change is a draft: it applies on Reset, which the badge asks for.
import { useId } from 'react';
import { UNITS } from '../../shared/model/layers/linear';
import { isPresetName, PRESET_NAMES, PRESETS, presetOf, presetSpec } from '../../shared/model/presets';
import { mlpHidden, sameModel, withMlpHidden, type ModelSpec } from '../../shared/model/spec';
import { useActions, useUi } from '../hooks/useUi';
import { formatInt } from '../lib/format';
import { specCheck } from '../state/draftCheck';
import { EDITOR_TOGGLE_ID, setEditorOpen, useEditorOpen } from '../state/editorUi';
import { NumberField } from './NumberField';
import { ResetBadge } from './ResetBadge';
import './panelControls.css';
import './NetworkSettings.css';

const CUSTOM = 'custom';

/**
 * The learner's own network (edited, or loaded), kept when a preset replaces it in the draft,
 * so "your own" stays in the menu and brings it back (issue 25: choosing a preset threw away
 * the editor's changes without a word). Module-wide: it outlives a view switch.
 */
let keptCustom: ModelSpec | null = null;

export function NetworkSettings() {
  const actions = useActions();
  const id = useId();
  const draft = useUi((s) => s.draft.model);
  const running = useUi((s) => s.config.model);
  const editorOpen = useEditorOpen();
  const check = specCheck(draft);
  const preset = presetOf(draft);
  const hidden = mlpHidden(draft);
  const setModel = (model: ModelSpec) => actions.setDraft({ model });
  const layers = draft.layers.length;
  if (preset === null) keptCustom = draft;
  const choose = (value: string) => {
    if (value === CUSTOM) {
      if (keptCustom) setModel(structuredClone(keptCustom));
      return;
    }
    if (!isPresetName(value)) return;
    // Edits the trainer does not have yet would be lost from sight: ask (they stay under "your own network" either way).
    if (preset === null && !sameModel(running, draft)) {
      const ok = window.confirm(
        `Replace your own network (${layers} ${layers === 1 ? 'layer' : 'layers'}) with the preset "${value}"?\n\nYours stays in the Model menu as "your own network" until you edit another one.`,
      );
      if (!ok) return;
    }
    setModel(presetSpec(value));
  };

  return (
    <div className="network-settings">
      <div className="field">
        <label htmlFor={id}>Model</label>
        <select id={id} data-testid="hp-preset" value={preset ?? CUSTOM} onChange={(e) => choose(e.target.value)}>
          {PRESET_NAMES.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
          {(preset === null || keptCustom) && <option value={CUSTOM}>your own network</option>}
        </select>
      </div>
      <p className="network-note" data-testid="hp-preset-description">
        {preset ? PRESETS[preset].description : 'Your own network, built in the editor or loaded from a file.'}
      </p>
      {hidden !== null && (
        <NumberField
          label="Hidden units"
          help={UNITS.help}
          testId="hp-hidden"
          value={hidden}
          min={UNITS.min}
          max={UNITS.max}
          integer
          onChange={(units) => setModel(withMlpHidden(draft, units) ?? draft)}
        />
      )}
      <div className="network-summary">
        <span data-testid="hp-model-summary">
          {layers} {layers === 1 ? 'layer' : 'layers'} · {check.problem ? 'cannot be built yet' : `${formatInt(check.paramCount)} parameters`}
        </span>
        <ResetBadge show={!sameModel(running, draft)} />
      </div>
      {check.problem && (
        <p className="network-problem" data-testid="hp-model-problem">
          Cannot be built: {check.problem}
        </p>
      )}
      <button
        type="button"
        id={EDITOR_TOGGLE_ID}
        className="btn-quiet"
        data-testid="hp-edit-layers"
        aria-expanded={editorOpen}
        aria-controls="architecture-editor"
        onClick={() => setEditorOpen(!editorOpen)}
      >
        {editorOpen ? 'Close the layer editor' : 'Edit layers…'}
      </button>
    </div>
  );
}
