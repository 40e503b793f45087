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

  return (
    <div className="network-settings">
      <div className="field">
        <label htmlFor={id}>Model</label>
        <select
          id={id}
          data-testid="hp-preset"
          value={preset ?? CUSTOM}
          onChange={(e) => {
            if (isPresetName(e.target.value)) setModel(presetSpec(e.target.value));
          }}
        >
          {PRESET_NAMES.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
          {preset === null && (
            <option value={CUSTOM} disabled>
              your own
            </option>
          )}
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
          {layers} {layers === 1 ? 'layer' : 'layers'} · {formatInt(check.paramCount)} parameters
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
