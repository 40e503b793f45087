// Issue 18's panels, below the network view: "Why this answer" and "What if" for the selected
// digit (with the preprocessing of a dropped or drawn one), and "Training health". They have a
// store of their own (state/insightStore.ts), connected once, on first use.
import { getApi } from '../../api';
import { connectInsight, type InsightActions } from '../../state/insightStore';
import { uiStore } from '../../state/store';
import { Explain } from '../explain/Explain';
import { InsightContext } from './context';
import { DivergenceBanner, HealthPanel } from './HealthPanel';
import { PreprocessStrip } from './PreprocessStrip';
import { WhatIfPanel } from './WhatIfPanel';
import { WhyAnswer } from './WhyAnswer';
import './insight.css';

let actions: InsightActions | null = null;
function insightActions(): InsightActions {
  actions ??= connectInsight(getApi(), uiStore).actions;
  return actions;
}

export function InsightPanels() {
  return (
    <>
      <WhyWhatIfPanel />
      <HealthView />
    </>
  );
}

/** "Why this answer · What if" alone (the workspace's Inspect view). */
export function WhyWhatIfPanel() {
  return (
    <InsightContext.Provider value={insightActions()}>
      <section className="panel insight" data-testid="insight-panel">
        <header className="panel-head">
          <div className="panel-title">
            <h2>Why this answer · What if</h2>
            <Explain title="Why this answer" testId="explain-why">
              For the digit picked in the samples (or drawn, or dropped): which pixels pushed the network to its answer, which hidden units added most to it, and what happens to the answer when the
              digit moves, turns, grows, gets bolder or noisier. Everything is worked out by the trainer on the model as it is now, and follows the training.
            </Explain>
          </div>
        </header>
        <p className="panel-lead">Which pixels and units made the answer, and how it holds up when the digit changes.</p>
        <PreprocessStrip />
        <div className="insight-body">
          <WhyAnswer />
          <WhatIfPanel />
        </div>
      </section>
    </InsightContext.Provider>
  );
}

/** "Training health" alone (the workspace's Health view). */
export function HealthView() {
  return (
    <InsightContext.Provider value={insightActions()}>
      <HealthPanel />
    </InsightContext.Provider>
  );
}

/** The divergence line at the top of the page (with the insight store's provider it needs). */
export function InsightBanner() {
  return (
    <InsightContext.Provider value={insightActions()}>
      <DivergenceBanner />
    </InsightContext.Provider>
  );
}
