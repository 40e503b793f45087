// One layer in the architecture editor: its name, its kind, its settings (ranges, labels and
// help from the registry), what it produces and what it costs, and what is wrong with it.
// The handle moves it: drag it, or focus it and press ↑ / ↓ (Delete removes the layer).
import type { DragEvent, KeyboardEvent, ReactNode } from 'react';
import type { LayerCheck } from '../../shared/model/checkSpec';
import { LAYER_KINDS, isLayerType, type LayerSpec, type LayerType } from '../../shared/model/layerKinds';
import type { Setting } from '../../shared/model/settings';
import { formatInt, shapeText } from '../lib/format';
import { MENU_GROUPS } from '../lib/layerMenu';
import { settingsOf } from '../lib/specEdits';
import { NumberField } from './NumberField';

export type DropSide = 'before' | 'after';

export interface LayerCardProps {
  layer: LayerSpec;
  index: number;
  count: number;
  check: LayerCheck;
  cardKey: number;
  dragging: boolean;
  dropSide: DropSide | null;
  onRename(name: string): void;
  onType(type: LayerType): void;
  onSetting(key: string, value: number | boolean): void;
  onMove(to: number): void;
  onRemove(): void;
  onDragStart(event: DragEvent): void;
  onDragEnd(): void;
  onDragOver(event: DragEvent, side: DropSide): void;
  onDrop(event: DragEvent): void;
  /** What follows the card: the "+" that adds a layer after it. */
  children?: ReactNode;
}

export function LayerCard(props: LayerCardProps) {
  const { layer, index, count, check, cardKey, dragging, dropSide } = props;
  const kind = LAYER_KINDS[layer.type];
  const values = layer as unknown as Record<string, number | boolean>;
  const position = `${index + 1} of ${count}`;

  const onHandleKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
      const to = index + (event.key === 'ArrowUp' ? -1 : 1);
      if (to >= 0 && to < count) props.onMove(to);
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      props.onRemove();
    }
  };

  const className = ['layer-card', check.problem ? 'layer-card-problem' : '', dragging ? 'layer-card-dragging' : '', dropSide ? `layer-card-drop-${dropSide}` : ''].filter(Boolean).join(' ');

  return (
    <li
      className={className}
      data-testid="layer-card"
      data-layer={layer.name}
      data-type={layer.type}
      data-card={cardKey}
      onDragOver={(event) => {
        const box = event.currentTarget.getBoundingClientRect();
        props.onDragOver(event, event.clientY < box.top + box.height / 2 ? 'before' : 'after');
      }}
      onDrop={props.onDrop}
    >
      <div className="layer-card-row">
        <button
          type="button"
          className="layer-handle"
          data-testid="layer-handle"
          draggable
          aria-label={`Move layer ${layer.name}, ${position}: drag, or press up or down arrow; Delete removes it`}
          aria-keyshortcuts="ArrowUp ArrowDown Delete"
          title="Drag to move (or focus and press ↑ ↓)"
          onKeyDown={onHandleKey}
          onDragStart={props.onDragStart}
          onDragEnd={props.onDragEnd}
        >
          <span aria-hidden="true">⠿</span>
          <span className="layer-index" aria-hidden="true">
            {index + 1}
          </span>
        </button>
        <input className="layer-name" data-testid="layer-name" aria-label={`Name of layer ${index + 1}`} value={layer.name} spellCheck={false} onChange={(e) => props.onRename(e.target.value)} />
        <select
          className="layer-type"
          data-testid="layer-type"
          aria-label={`Kind of layer ${layer.name}`}
          title={kind.description}
          value={layer.type}
          onChange={(e) => {
            if (isLayerType(e.target.value)) props.onType(e.target.value);
          }}
        >
          {MENU_GROUPS.map((group) => (
            <optgroup key={group.title} label={group.title}>
              {group.types.map((type) => (
                <option key={type} value={type}>
                  {LAYER_KINDS[type].label}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <div className="layer-settings">
          {Object.entries(settingsOf(layer.type)).map(([key, setting]) => (
            <SettingInput key={key} name={key} setting={setting} value={values[key]} layerName={layer.name} onChange={(v) => props.onSetting(key, v)} />
          ))}
        </div>
        <div className="layer-result" data-testid="layer-result" title={check.info ? `input ${shapeText(check.info.input)}` : 'Unknown until the layers above fit together'}>
          <span className="layer-shape" data-testid="layer-shape">
            → {check.info ? shapeText(check.info.output) : '?'}
          </span>
          <span className="layer-params" data-testid="layer-params">
            {check.info ? (check.info.paramCount > 0 ? `${formatInt(check.info.paramCount)} params` : 'no params') : ''}
          </span>
        </div>
        <button type="button" className="layer-remove" data-testid="layer-remove" aria-label={`Remove layer ${layer.name}`} title="Remove this layer" onClick={props.onRemove}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      {check.problem && (
        <p className="layer-problem" data-testid="layer-problem" id={`layer-problem-${cardKey}`}>
          {check.problem}
        </p>
      )}
      {props.children}
    </li>
  );
}

function SettingInput({ name, setting, value, layerName, onChange }: { name: string; setting: Setting; value: number | boolean; layerName: string; onChange(v: number | boolean): void }) {
  if (setting.kind === 'bool') {
    return (
      <label className="layer-setting layer-setting-bool" title={setting.help}>
        <input type="checkbox" data-testid={`setting-${name}`} checked={value === true} onChange={(e) => onChange(e.target.checked)} aria-label={`${setting.label} of ${layerName}`} />
        {setting.label}
      </label>
    );
  }
  return (
    <span className="layer-setting">
      <NumberField
        label={setting.label}
        help={setting.help}
        testId={`setting-${name}`}
        errorKey={`layer ${layerName}: ${name}`}
        value={value as number}
        min={setting.min}
        max={setting.max}
        integer={setting.kind === 'int'}
        onChange={onChange}
      />
    </span>
  );
}
