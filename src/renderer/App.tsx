// The workspace (issue 24): one screen that never scrolls. The top bar holds the controls and the
// status, always in sight; under it, the messages of the moment (errors until dismissed); then
// the settings in a rail at the left and the views in tabs (state/workspace.ts lists them,
// components/workspace/views.tsx says what each shows). Long panels scroll inside their view.
// A first visit gets a three-step guide above the views (the Help menu brings it back).
import { Controls } from './components/Controls';
import { FirstRunGuide } from './components/FirstRunGuide';
import { InsightBanner } from './components/insight/InsightPanels';
import { Notice } from './components/Notice';
import { StatusLine } from './components/StatusLine';
import { HelpMenu } from './components/workspace/HelpMenu';
import { LessonsMenu } from './lessons/LessonsMenu';
import { SideRail } from './components/workspace/SideRail';
import { useViewShortcuts, ViewPanel, ViewTabs } from './components/workspace/ViewTabs';
import { ShownEvaluationProvider } from './hooks/useShownEvaluation';
import { WeightsMenu, WeightsMessage } from './components/WeightsMenu';
import { useModelInfo } from './hooks/useModel';
import { useTooltipPlacement } from './hooks/useTooltipPlacement';
import { widthsText } from './lib/modelSummary';
import './components/workspace/workspace.css';

function ModelWidths() {
  const info = useModelInfo();
  const text = `MNIST · ${widthsText(info)}`;
  // One line: a long network is cut short here and shown whole on hover (and in the rail's summary).
  return (
    <span className="brand-sub" title={text}>
      {text}
    </span>
  );
}

export function App() {
  useViewShortcuts();
  useTooltipPlacement();
  return (
    <ShownEvaluationProvider>
      <div className="app">
        <header className="topbar">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">
              ◆
            </span>
            <span className="brand-name">Digitrain</span>
            <ModelWidths />
          </div>
          <Controls />
          <div className="topbar-slot" data-slot="weights-menu">
            <WeightsMenu />
            <HelpMenu />
            <LessonsMenu />
          </div>
        </header>
        <StatusLine />
        <div className="messages">
          <Notice />
          <WeightsMessage />
          <InsightBanner />
          <FirstRunGuide />
        </div>
        <div className="workspace">
          <SideRail />
          <main className="views">
            <ViewTabs />
            <ViewPanel />
          </main>
        </div>
      </div>
    </ShownEvaluationProvider>
  );
}
