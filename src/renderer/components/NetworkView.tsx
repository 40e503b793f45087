// The network view: the diagram, the first layer's weights as pictures, one unit up close, and the selected digit's path.
import { PanelHead } from './explain/PanelHead';
import { LayerDiagram } from './LayerDiagram';
import { Prediction } from './Prediction';
import { UnitDetail } from './UnitDetail';
import { WeightTiles } from './WeightTiles';

export function NetworkView() {
  return (
    <section className="panel network" data-testid="network-view">
      <PanelHead title="Network" topic="network" />
      <LayerDiagram />
      <div className="network-body">
        <div className="network-tiles">
          <div className="legend">
            <span>
              First-layer weights, one tile per hidden unit (each tile scaled to its own largest |w|)
            </span>
            <span className="legend-scale">
              <span>−</span>
              <span className="legend-gradient" />
              <span>+</span>
            </span>
          </div>
          <WeightTiles />
        </div>
        <div className="network-side">
          <Prediction />
          <UnitDetail />
        </div>
      </div>
    </section>
  );
}
