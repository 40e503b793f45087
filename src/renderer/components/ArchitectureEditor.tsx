// The architecture editor: the draft network as a list of layer cards. Add a layer with the
// "+" between two cards (a menu of every registered kind), remove one, move one (drag its
// handle, or focus the handle and press ↑ / ↓), edit its name, kind and settings. Every card
// shows the shape it produces and its parameters, worked out as you type, and what is wrong
// with it; Reset and Train wait until nothing is. The draft applies at Reset, like every
// network setting. Import and export read and write the JSON `npm run train -- --arch` takes.
// The foot says what the network costs per step (ModelCost).
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { browserFiles } from '../api/browserFiles';
import { messageOf } from '../../shared/messageOf';
import { formatShape, sameShape } from '../../shared/model/shape';
import { presetOf } from '../../shared/model/presets';
import { sameModel, type ModelSpec } from '../../shared/model/spec';
import { parseSpecJson, specFileTooLarge, specJson } from '../../shared/model/specFile';
import { MODEL_INPUTS } from '../../shared/model/validateSpec';
import { useLayerKeys } from '../hooks/useLayerKeys';
import { useActions, useUi } from '../hooks/useUi';
import { formatInt, shapeText } from '../lib/format';
import { changeLayerType, insertLayer, moveLayer, removeLayer, renameLayer, setInput, setLayerSetting } from '../lib/specEdits';
import { pickTextFile } from '../lib/textFile';
import { specCheck } from '../state/draftCheck';
import { EDITOR_TOGGLE_ID, setEditorOpen } from '../state/editorUi';
import { AddLayerMenu } from './AddLayerMenu';
import { LayerCard, type DropSide } from './LayerCard';
import { ModelCost } from './ModelCost';
import { ResetBadge } from './ResetBadge';
import { MessageBox, type Message } from './MessageBox';
import './panelControls.css';
import './ArchitectureEditor.css';

interface Drag {
  from: number;
  over: number | null;
  side: DropSide;
}

const handleOf = (key: number) => `[data-card="${key}"] [data-testid="layer-handle"]`;
const FIRST_INSERT = '[data-testid="editor-input"] [data-testid="layer-insert"]';

export function ArchitectureEditor() {
  const actions = useActions();
  const draft = useUi((s) => s.draft.model);
  const running = useUi((s) => s.config.model);
  const check = specCheck(draft);
  const layerKeys = useLayerKeys(draft);
  const { keys } = layerKeys;
  const [drag, setDrag] = useState<Drag | null>(null);
  const [fileOutcome, setFileOutcome] = useState<Message | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const focusAfter = useRef<string | null>(null);
  const panel = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // Opening the editor brings it into view and puts the keyboard in it.
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
    panel.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, []);

  // After an edit, focus goes where the keyboard user expects it (the moved or added card's handle).
  useEffect(() => {
    const selector = focusAfter.current;
    focusAfter.current = null;
    if (selector) panel.current?.querySelector<HTMLElement>(selector)?.focus();
  });

  function apply(next: ModelSpec, nextKeys: readonly number[], focus: string | null, say: string): void {
    layerKeys.expect(next, nextKeys);
    focusAfter.current = focus;
    setAnnouncement(say);
    actions.setDraft({ model: next });
  }

  const insert = (index: number, type: Parameters<typeof insertLayer>[2]) => {
    const key = layerKeys.fresh();
    const next = insertLayer(draft, index, type);
    apply(next, [...keys.slice(0, index), key, ...keys.slice(index)], handleOf(key), `Added ${next.layers[index].name} as layer ${index + 1} of ${next.layers.length}`);
  };

  const remove = (index: number) => {
    const next = removeLayer(draft, index);
    const nextKeys = keys.filter((_, i) => i !== index);
    const neighbour = nextKeys[Math.min(index, nextKeys.length - 1)];
    apply(next, nextKeys, neighbour === undefined ? FIRST_INSERT : handleOf(neighbour), `Removed ${draft.layers[index].name}`);
  };

  const move = (from: number, to: number) => {
    const next = moveLayer(draft, from, to);
    if (next === draft) return;
    const nextKeys = keys.slice();
    const [key] = nextKeys.splice(from, 1);
    nextKeys.splice(to, 0, key);
    apply(next, nextKeys, handleOf(key), `Moved ${draft.layers[from].name} to position ${to + 1} of ${draft.layers.length}`);
  };

  /** An edit inside the layers (a name, a kind, a setting, the input): every card keeps its key. */
  const edit = (next: ModelSpec) => apply(next, keys, null, '');
  /** Another spec altogether (imported, or the running one back): the cards are matched up by name. */
  const replace = (next: ModelSpec) => actions.setDraft({ model: next });

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    if (drag && drag.over !== null) {
      const gap = drag.side === 'before' ? drag.over : drag.over + 1;
      move(drag.from, gap > drag.from ? gap - 1 : gap);
    }
    setDrag(null);
  };

  function importSpec(): void {
    setFileOutcome(null);
    pickTextFile('.json,application/json', specFileTooLarge).then(
      (file) => {
        if (!file) return;
        try {
          replace(parseSpecJson(file.text));
          setFileOutcome({ ok: true, text: `Imported ${file.name}: press Reset to build it` });
        } catch (error) {
          setFileOutcome({ ok: false, text: `${file.name} was not imported: ${messageOf(error)}` });
        }
      },
      (error: unknown) => setFileOutcome({ ok: false, text: messageOf(error) }),
    );
  }

  function exportSpec(): void {
    const name = `${presetOf(draft) ?? 'model'}.json`;
    browserFiles.download({ name, bytes: new TextEncoder().encode(specJson(draft)) });
    setFileOutcome({ ok: true, text: `Exported ${name}: train it with npm run train -- --arch ${name}` });
  }

  function close(): void {
    setEditorOpen(false);
    document.getElementById(EDITOR_TOGGLE_ID)?.focus();
  }

  const changed = !sameModel(running, draft);
  const inputIndex = MODEL_INPUTS.findIndex((shape) => sameShape(shape, draft.input));

  return (
    <section className="panel editor" id="architecture-editor" data-testid="architecture-editor" aria-labelledby="editor-title" ref={panel}>
      <header className="panel-head editor-head">
        <h2 id="editor-title" ref={heading} tabIndex={-1}>
          Layers
        </h2>
        <span className="editor-status">
          {changed ? 'Your changes apply when you press Reset.' : 'The network the trainer runs.'} <ResetBadge show={changed} />
        </span>
        <div className="editor-actions">
          {changed && (
            <button type="button" className="btn-quiet" data-testid="editor-revert" onClick={() => replace(running)} title="Back to the network the trainer runs">
              Undo changes
            </button>
          )}
          <button type="button" className="btn-quiet" data-testid="editor-import" onClick={importSpec} title="Read a model spec (.json, as npm run train -- --arch takes it)">
            Import JSON…
          </button>
          <button
            type="button"
            className="btn-quiet"
            data-testid="editor-export"
            onClick={exportSpec}
            disabled={check.problem !== null}
            title={check.problem ? `Fix the network first: ${check.problem}` : 'Save this spec as JSON, for npm run train -- --arch FILE.json'}
          >
            Export JSON
          </button>
          <button type="button" className="btn-quiet" data-testid="editor-close" onClick={close}>
            Close
          </button>
        </div>
      </header>
      <MessageBox message={fileOutcome} onDismiss={() => setFileOutcome(null)} testId={{ ok: 'editor-file-result', error: 'editor-file-error' }} />

      <ol className="layer-cards" onDragLeave={(e) => e.currentTarget === e.target && setDrag((d) => (d ? { ...d, over: null } : d))}>
        <li className="layer-card layer-card-input" data-testid="editor-input">
          <div className="layer-card-row">
            <span className="layer-input-title">Input</span>
            <select
              className="layer-type"
              data-testid="editor-input-shape"
              aria-label="The model's input"
              value={inputIndex}
              onChange={(e) => edit(setInput(draft, MODEL_INPUTS[Number(e.target.value)]))}
            >
              {MODEL_INPUTS.map((shape, i) => (
                <option key={formatShape(shape)} value={i}>
                  {shape.length === 1 ? `flat pixels ${formatShape(shape)}` : `an image ${formatShape(shape)}`}
                </option>
              ))}
            </select>
            <span className="layer-input-note">{draft.input.length === 1 ? 'for linear layers' : 'for convolutions and pooling (flatten before a linear layer)'}</span>
            <div className="layer-result">
              <span className="layer-shape">→ {shapeText(draft.input)}</span>
            </div>
          </div>
          <AddLayerMenu where="at the start" input={draft.input} onPick={(type) => insert(0, type)} />
        </li>
        {draft.layers.map((layer, index) => {
          const key = keys[index];
          return (
            <LayerCard
              key={key}
              cardKey={key}
              layer={layer}
              index={index}
              count={draft.layers.length}
              check={check.layers[index]}
              dragging={drag?.from === index}
              dropSide={drag && drag.over === index && drag.from !== index ? drag.side : null}
              onRename={(name) => edit(renameLayer(draft, index, name))}
              onType={(type) => edit(changeLayerType(draft, index, type))}
              onSetting={(name, value) => edit(setLayerSetting(draft, index, name, value))}
              onMove={(to) => move(index, to)}
              onRemove={() => remove(index)}
              onDragStart={(event) => {
                event.dataTransfer.effectAllowed = 'move';
                event.dataTransfer.setData('text/plain', layer.name);
                const card = (event.currentTarget as HTMLElement).closest('li');
                if (card) event.dataTransfer.setDragImage(card, 16, 16);
                setDrag({ from: index, over: null, side: 'before' });
              }}
              onDragEnd={() => setDrag(null)}
              onDragOver={(event, side) => {
                if (!drag) return;
                event.preventDefault();
                event.dataTransfer.dropEffect = 'move';
                if (drag.over !== index || drag.side !== side) setDrag({ ...drag, over: index, side });
              }}
              onDrop={onDrop}
            >
              <AddLayerMenu where={`after ${layer.name}`} input={check.layers[index].info?.output ?? null} onPick={(type) => insert(index + 1, type)} />
            </LayerCard>
          );
        })}
      </ol>

      <footer className="editor-foot">
        <span data-testid="editor-total">
          {formatInt(check.paramCount)} parameters{check.output ? ` · output ${shapeText(check.output)}` : ''}
        </span>
        {check.modelProblem && (
          <span className="editor-problem" data-testid="editor-model-problem">
            {check.modelProblem}
          </span>
        )}
        <ModelCost spec={draft} otherProblem={check.modelProblem !== null} />
      </footer>
      <div className="visually-hidden" aria-live="polite" data-testid="editor-announcement">
        {announcement}
      </div>
    </section>
  );
}
