// A panel's heading: its title with a "?" that explains the idea behind it, what it shows in
// one plain sentence below, and the panel's own values and controls at the right.
import type { ReactNode } from 'react';
import { EXPLANATIONS, type Topic } from './explanations';
import { Explain } from './Explain';

export function PanelHead({ title, topic, children }: { title: string; topic: Topic; children?: ReactNode }) {
  const { lead, body } = EXPLANATIONS[topic];
  return (
    <>
      <header className="panel-head">
        <div className="panel-title">
          <h2>{title}</h2>
          <Explain title={title} testId={`explain-${topic}`}>
            {body}
          </Explain>
        </div>
        {children}
      </header>
      <p className="panel-lead" data-testid={`lead-${topic}`}>
        {lead}
      </p>
    </>
  );
}
