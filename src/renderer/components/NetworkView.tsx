// The network view, drawn from the running model's spec: the diagram; the first weighted
// layer's weights as pictures (28×28 tiles when it reads the pixels, with one unit up close;
// small filter tiles when it is a convolution) beside the selected digit's prediction and its
// path; then every layer's weights and what it makes of the digit, layer by layer.
import { useMemo } from 'react';
import { useModelInfo } from '../hooks/useModel';
import { networkView } from '../lib/networkView';
import { PanelHead } from './explain/PanelHead';
import { FilterTiles } from './FilterTiles';
import { LayerDiagram } from './LayerDiagram';
import { LayerRows } from './LayerRows';
import { Prediction } from './Prediction';
import { UnitDetail } from './UnitDetail';
import { WeightTiles } from './WeightTiles';
import './NetworkView.css';

/** `layerRows`: false for the compact view of the Train view (the layer-by-layer rows are in the Network view). */
export function NetworkView({ layerRows = true }: { layerRows?: boolean }) {
  const info = useModelInfo();
  const view = useMemo(() => networkView(info), [info]);
  const first = view.first;

  return (
    <section className="panel network" data-testid="network-view">
      <PanelHead title="Network" topic="network" />
      <LayerDiagram />
      <div className="network-body">
        <div className="network-tiles">
          {first?.drawing.kind === 'tiles' && (
            <>
              <Legend text={`First-layer weights (${first.layer}), one tile per unit (each tile scaled to its own largest |w|)`} />
              <WeightTiles />
            </>
          )}
          {first?.drawing.kind === 'filters' && (
            <>
              <Legend text={`First convolution's filters (${first.layer}), one tile per filter (each scaled to its own largest |w|)`} />
              <FilterTiles tensor={first.tensor} tiles={first.drawing.tiles} size={first.drawing.size} />
            </>
          )}
        </div>
        <div className="network-side">
          <Prediction />
          {first?.drawing.kind === 'tiles' && <UnitDetail />}
        </div>
      </div>
      {layerRows && <LayerRows view={view} />}
    </section>
  );
}

function Legend({ text }: { text: string }) {
  return (
    <div className="legend">
      <span>{text}</span>
      <span className="legend-scale">
        <span>−</span>
        <span className="legend-gradient" />
        <span>+</span>
      </span>
    </div>
  );
}
