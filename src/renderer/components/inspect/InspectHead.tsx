// The inspection panels' headings: a title with its "?" (the idea behind it) and one plain
// sentence, like PanelHead, with the texts kept beside these panels.
import type { ReactNode } from 'react';
import { Explain } from '../explain/Explain';

export function InspectHead({ title, lead, testId, explain, children }: { title: string; lead: ReactNode; testId: string; explain: ReactNode; children?: ReactNode }) {
  return (
    <>
      <header className="panel-head">
        <div className="panel-title">
          <h2>{title}</h2>
          <Explain title={title} testId={`explain-${testId}`}>
            {explain}
          </Explain>
        </div>
        {children}
      </header>
      <p className="panel-lead">{lead}</p>
    </>
  );
}
