// The app's weights files in one place: the format lives in main/weights (one idea per
// file); this is the entry point the hosts, the worker and the CLI import.
export { decodeWeightsFile, type LoadedWeights } from '../weights/decode';
export { encodeOnnxExport, encodePytorchExport, encodeWeightsFile, type WeightsToSave } from '../weights/encode';
export { WeightsFileError, WEIGHTS_FORMAT, WEIGHTS_FORMAT_VERSION } from '../weights/format';
export { buildWeightsMetadata, parseWeightsMetadata, type WeightsInfo } from '../weights/metadata';
export { createWeightsCommands, type WeightsCommands } from '../weights/weightsCommands';
