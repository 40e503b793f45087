// The page: controls and status on top, settings on the left, what the network
// is learning in the middle. The weights menu and the digit inputs (DropZone,
// DrawPad) go into the two slots marked below.
import { AccuracyChart, LossChart } from './components/Curves';
import { ConfusionMatrix } from './components/ConfusionMatrix';
import { Controls } from './components/Controls';
import { DrawPad } from './components/DrawPad';
import { DropZone } from './components/DropZone';
import { HyperParams } from './components/HyperParams';
import { NetworkView } from './components/NetworkView';
import { Notice } from './components/Notice';
import { SampleGrid } from './components/SampleGrid';
import { StatusLine } from './components/StatusLine';
import { WeightsMenu } from './components/WeightsMenu';
import { useModelInfo } from './hooks/useModel';
import { widthsText } from './lib/modelSummary';

function ModelWidths() {
  const info = useModelInfo();
  return <span className="brand-sub">MNIST · {widthsText(info)}</span>;
}

export function App() {
  return (
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
      </header>
      <StatusLine />
      <Notice />
      <main className="layout">
        <aside className="sidebar">
          <HyperParams />
          <div className="sidebar-slot" data-slot="drop-zone">
            <DropZone />
            <DrawPad />
          </div>
        </aside>
        <div className="content">
          <div className="charts">
            <LossChart />
            <AccuracyChart />
          </div>
          <NetworkView />
          <div className="evaluation">
            <SampleGrid />
            <ConfusionMatrix />
          </div>
        </div>
      </main>
    </div>
  );
}
