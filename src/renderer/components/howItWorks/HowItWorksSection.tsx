// Until the workspace's tabs land (issue 24), "How it works" is a collapsible section of the page:
// open while the workspace's view is 'how' (so openView('how') opens it, as a tab would). When the
// tabs land, HowItWorksView goes into the 'how' slot and this file goes away.
import { useEffect, useRef } from 'react';
import { openView, useOpenView } from '../../state/workspace';
import { HowItWorksView } from './HowItWorksView';

export function HowItWorksSection() {
  const open = useOpenView() === 'how';
  const ref = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    if (open) ref.current?.scrollIntoView?.({ block: 'start' });
  }, [open]);
  return (
    <div ref={ref} className="how-section" data-testid="how-section">
      <button type="button" className="how-btn" data-testid="how-toggle" aria-expanded={open} onClick={() => openView(open ? 'train' : 'how')}>
        {open ? '▾' : '▸'} How it works: one training step, op by op
      </button>
      {open && <HowItWorksView />}
    </div>
  );
}
