// For tests of the refusal of an optimizer the registry does not have: a name it really does not
// have (PyTorch's others, the first one not yet added), and the list the refusal names.
import { isOptimizerName, OPTIMIZER_NAMES } from '../../src/shared/optimizers';

const candidates = ['adadelta', 'rprop', 'nadam', 'lbfgs', 'no-such-optimizer'];
export const UNKNOWN_OPTIMIZER = candidates.find((name) => !isOptimizerName(name)) as string;

/** "adam, adamw, sgd, …" as refusals list the registered names. */
export const KNOWN_OPTIMIZERS = OPTIMIZER_NAMES.join(', ');
