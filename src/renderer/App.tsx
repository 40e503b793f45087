// The page: controls and status on top, settings and the digit inputs on the left (the
// draw pad right under the settings, so it is in view without scrolling), the layer editor
// when it is open, what the network is learning in the middle. A first visit gets a
// three-step guide above it all.
import { ArchitectureEditor } from './components/ArchitectureEditor';
import { AccuracyChart, LossChart } from './components/Curves';
import { ConfusionMatrix } from './components/ConfusionMatrix';
import { Controls } from './components/Controls';
import { DrawPad } from './components/DrawPad';
import { DropZone } from './components/DropZone';
import { FirstRunGuide } from './components/FirstRunGuide';
import { MyDigitsPanel } from './components/experiments/MyDigitsPanel';
import { RunsPanel } from './components/experiments/RunsPanel';
import { HyperParams } from './components/HyperParams';
import { HowItWorksSection } from './components/howItWorks/HowItWorksSection';
import { LessonsMenu } from './lessons/LessonsMenu';
import { OutputWeights } from './components/inspect/OutputWeights';
import { TestGallery } from './components/inspect/TestGallery';
import { UnitInspector } from './components/inspect/UnitInspector';
import { InsightBanner, InsightPanels } from './components/insight/InsightPanels';
import { NetworkView } from './components/NetworkView';
import { Notice } from './components/Notice';
import { SampleGrid } from './components/SampleGrid';
import { StatusLine } from './components/StatusLine';
import { ShownEvaluationProvider } from './hooks/useShownEvaluation';
import { WeightsMenu } from './components/WeightsMenu';
import { useModelInfo } from './hooks/useModel';
import { widthsText } from './lib/modelSummary';
import { useEditorOpen } from './state/editorUi';

function ModelWidths() {
  const info = useModelInfo();
  return <span className="brand-sub">MNIST · {widthsText(info)}</span>;
}

/** The layer editor, above the charts while it is open. */
function Editor() {
  return useEditorOpen() ? <ArchitectureEditor /> : null;
}

export function App() {
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
          </div>
          <LessonsMenu />
        </header>
        <StatusLine />
        <Notice />
        <InsightBanner />
        <FirstRunGuide />
        <main className="layout">
          <aside className="sidebar">
            <HyperParams />
            <div className="sidebar-slot" data-slot="drop-zone">
              <DrawPad />
              <DropZone />
            </div>
            <MyDigitsPanel />
          </aside>
          <div className="content">
            <Editor />
            <HowItWorksSection />
            <div className="charts">
              <LossChart />
              <AccuracyChart />
            </div>
            <NetworkView />
            {/* Looking inside the network (issue 18): the output layer under the tiles, one unit up close, the test images. */}
            <OutputWeights />
            <UnitInspector />
            <InsightPanels />
            <div className="evaluation">
              <SampleGrid />
              <ConfusionMatrix />
            </div>
            <TestGallery />
            <RunsPanel />
          </div>
        </main>
      </div>
    </ShownEvaluationProvider>
  );
}
