// A "+" between two layers of the editor that opens the menu of layer kinds (a menu button:
// Enter, Space or ↓ opens it, ↑ ↓ Home End move, Enter picks, Escape closes). Each kind shows
// its one-line description, and says so when its default settings do not fit here.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { LAYER_KINDS, type LayerType } from '../../shared/model/layerKinds';
import type { Shape } from '../../shared/model/shape';
import { MENU_GROUPS, misfit } from '../lib/layerMenu';

const ITEMS: readonly LayerType[] = MENU_GROUPS.flatMap((g) => g.types);

export interface AddLayerMenuProps {
  /** Where the layer goes, for the button's accessible name: "after conv1", "at the start". */
  where: string;
  /** The input a new layer would take here (null when the layers before it do not fit together). */
  input: Shape | null;
  onPick(type: LayerType): void;
  disabled?: boolean;
}

export function AddLayerMenu({ where, input, onPick, disabled }: AddLayerMenuProps) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const items = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    if (open) items.current[active]?.focus();
  }, [open, active]);

  // Closes when the pointer goes down anywhere else.
  useEffect(() => {
    if (!open) return;
    const away = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  const openAt = (index: number) => {
    setActive(index);
    setOpen(true);
  };

  const onButtonKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      openAt(event.key === 'ArrowDown' ? 0 : ITEMS.length - 1);
    }
  };

  const onMenuKey = (event: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, Home: 0, End: ITEMS.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      setActive((moves[event.key] + ITEMS.length) % ITEMS.length);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === 'Tab') {
      close(false);
    }
  };

  const pick = (type: LayerType) => {
    setOpen(false);
    onPick(type);
  };

  return (
    <div className="add-layer" ref={root}>
      <button
        type="button"
        ref={button}
        className="add-layer-button"
        data-testid="layer-insert"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`Add a layer ${where}`}
        title={`Add a layer ${where}`}
        disabled={disabled}
        onClick={() => (open ? close(false) : openAt(0))}
        onKeyDown={onButtonKey}
      >
        <span aria-hidden="true">+</span>
      </button>
      {open && (
        <div className="add-layer-menu" role="menu" aria-label={`Layer kinds to add ${where}`} data-testid="layer-menu" onKeyDown={onMenuKey}>
          {MENU_GROUPS.map((group) => (
            <div role="group" aria-label={group.title} key={group.title} className="add-layer-group">
              <div className="add-layer-group-title" aria-hidden="true">
                {group.title}
              </div>
              {group.types.map((type) => {
                const index = ITEMS.indexOf(type);
                const kind = LAYER_KINDS[type];
                const problem = misfit(type, input);
                return (
                  <button
                    type="button"
                    role="menuitem"
                    key={type}
                    tabIndex={index === active ? 0 : -1}
                    ref={(el) => {
                      items.current[index] = el;
                    }}
                    className={problem ? 'add-layer-item add-layer-misfit' : 'add-layer-item'}
                    data-testid="layer-menu-item"
                    data-type={type}
                    onClick={() => pick(type)}
                    onMouseEnter={() => setActive(index)}
                  >
                    <span className="add-layer-label">{kind.label}</span>
                    <span className="add-layer-desc">{kind.description}</span>
                    {problem && <span className="add-layer-note">does not fit here: {problem}</span>}
                  </button>
                );
              })}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
