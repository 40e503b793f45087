// The running model's description (shapes, parameters, the tile view), derived once per spec.
import { useMemo } from 'react';
import { describeModel, type ModelInfo } from '../../shared/model/describe';
import { tileView, type TileView } from '../lib/tileView';
import { useUi } from './useUi';

export function useModelInfo(): ModelInfo {
  const model = useUi((s) => s.config.model);
  return useMemo(() => describeModel(model), [model]);
}

export function useTileView(): TileView | null {
  const info = useModelInfo();
  return useMemo(() => tileView(info), [info]);
}
