// Which panels each view of the workspace shows (issue 24). The one place that maps a view id
// (state/workspace.ts) to what is drawn in it: a view that gets a component of its own (the
// 'how' view, issue 27) replaces its entry here and nothing else changes.
import type { ReactNode } from 'react';
import { useOpenView, type ViewId } from '../../state/workspace';
import { ArchitectureEditor } from '../ArchitectureEditor';
import { ConfusionMatrix } from '../ConfusionMatrix';
import { AccuracyChart, LossChart } from '../Curves';
import { DrawPad } from '../DrawPad';
import { DropZone } from '../DropZone';
import { MyDigitsPanel } from '../experiments/MyDigitsPanel';
import { RunsPanel } from '../experiments/RunsPanel';
import { OutputWeights } from '../inspect/OutputWeights';
import { TestGallery } from '../inspect/TestGallery';
import { UnitInspector } from '../inspect/UnitInspector';
import { HealthView, WhyWhatIfPanel } from '../insight/InsightPanels';
import { NetworkView } from '../NetworkView';
import { Prediction } from '../Prediction';
import { SampleGrid } from '../SampleGrid';
import { useEditorOpen } from '../../state/editorUi';
import { HowItWorksView } from '../howItWorks/HowItWorksView';

/** Training at a glance: the curves, the first layer's tiles, the sample digits, the confusion matrix. */
function TrainView() {
  return (
    <>
      <div className="charts">
        <LossChart />
        <AccuracyChart />
      </div>
      <NetworkView layerRows={false} />
      <div className="evaluation">
        <SampleGrid />
        <ConfusionMatrix />
      </div>
    </>
  );
}

/** The layer editor (while it is open: it takes the keyboard when it opens) and the whole network, layer by layer. */
function NetworkWorkspace() {
  return (
    <>
      {useEditorOpen() && <ArchitectureEditor />}
      <NetworkView />
    </>
  );
}

/** Looking inside: the test images, one unit up close, the output layer, why this answer and what if. */
function InspectView() {
  return (
    <>
      <TestGallery />
      <UnitInspector />
      <OutputWeights />
      <WhyWhatIfPanel />
    </>
  );
}

/** The learner's own digits: the draw pad, dropped pictures and what the network answers, the kept set. */
function TryView() {
  return (
    <div className="try-view">
      <div className="try-inputs">
        <DrawPad />
        <DropZone />
      </div>
      <div className="try-answer">
        {/* Only while in sight: the prediction asks the trainer again at every weights snapshot. */}
        {useOpenView() === 'try' && (
          <section className="panel" data-testid="try-prediction">
            <Prediction />
          </section>
        )}
        <MyDigitsPanel />
      </div>
    </div>
  );
}

export const VIEW_COMPONENTS: Record<ViewId, () => ReactNode> = {
  train: TrainView,
  network: NetworkWorkspace,
  inspect: InspectView,
  health: HealthView,
  runs: RunsPanel,
  try: TryView,
  how: HowItWorksView,
};
