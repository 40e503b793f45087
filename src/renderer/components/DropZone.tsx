// Drop image files anywhere on the window (or choose them) to classify them.
//
// The whole window is the target: listeners sit on `window`, and an overlay shows
// while files are dragged over. Each file is decoded and checked in the renderer
// (readImageFile), preprocessed like MNIST, and sent to the model; every file gets
// its own entry, so one bad file costs only its own line.
import { useCallback, useEffect, useRef, useState } from 'react';
import { openView } from '../state/workspace';
import { getApi } from '../api';
import { useActions } from '../hooks/useUi';
import { classifyImage, type DigitResult } from '../images/classifyImage';
import { messageOf } from '../../shared/messageOf';
import { readImageFile } from '../images/readImageFile';
import { ClassifyResults, type ClassifyItem } from './ClassifyResults';
import { PanelHead } from './explain/PanelHead';
import './classify.css';

/** Older entries beyond this are dropped from the list. */
const MAX_ITEMS = 40;

function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

export function DropZone() {
  const actions = useActions();
  const [items, setItems] = useState<ClassifyItem[]>([]);
  const [dragging, setDragging] = useState(false);
  const nextId = useRef(0);
  const chooser = useRef<HTMLInputElement | null>(null);

  const update = (id: number, item: ClassifyItem) => setItems((list) => list.map((old) => (old.id === id ? item : old)));

  const classifyFiles = useCallback(async (files: File[]) => {
    const batch: ClassifyItem[] = files.map((file) => ({ id: nextId.current++, name: file.name, state: 'working' }));
    setItems((list) => [...batch, ...list].slice(0, MAX_ITEMS));
    // One at a time: decoding is the heavy part and the tab must stay responsive.
    for (let i = 0; i < files.length; i++) {
      const { id, name } = batch[i];
      try {
        const result = await classifyImage(getApi(), await readImageFile(files[i]));
        update(id, { id, name, state: 'done', result });
      } catch (error) {
        update(id, { id, name, state: 'error', error: messageOf(error) });
      }
    }
  }, []);

  useEffect(() => {
    const over = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault(); // allows the drop
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      openView('try'); // the workspace's Try it view, where the results show
      setDragging(true);
    };
    const leave = (event: DragEvent) => {
      if (event.relatedTarget === null) setDragging(false); // left the window, not just a child
    };
    const drop = (event: DragEvent) => {
      setDragging(false);
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (files.length === 0) return;
      event.preventDefault(); // else the browser navigates to the file
      void classifyFiles(files);
    };
    window.addEventListener('dragenter', over);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', over);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [classifyFiles]);

  const select = (result: DigitResult, name: string) => void actions.selectInput({ pixels: result.input, label: null, source: name });

  return (
    <section className="panel classify-panel" data-testid="drop-zone">
      <PanelHead title="Your images" topic="images">
        {items.length > 0 && (
          <button type="button" className="classify-button" onClick={() => setItems([])}>
            Clear
          </button>
        )}
      </PanelHead>
      <p className="muted classify-hint">
        PNG, JPEG, WebP or BMP, anywhere on the window, or{' '}
        <button type="button" className="classify-link" onClick={() => chooser.current?.click()}>
          choose files
        </button>
        .
      </p>
      <input
        ref={chooser}
        type="file"
        accept="image/png,image/jpeg,image/webp,image/bmp,.png,.jpg,.jpeg,.webp,.bmp"
        multiple
        hidden
        data-testid="drop-input"
        onChange={(event) => {
          const files = Array.from(event.currentTarget.files ?? []);
          event.currentTarget.value = '';
          if (files.length > 0) void classifyFiles(files);
        }}
      />
      <ClassifyResults items={items} onSelect={select} />
      {dragging && (
        <div className="drop-overlay" data-testid="drop-overlay">
          <div className="drop-overlay-text">Drop images to classify them</div>
        </div>
      )}
    </section>
  );
}
