// The guided lessons (issue 27): each a goal, what to do, what to look at, and checks that tick
// themselves from the app's state (no "done" button). Written for someone who knows Python and a
// little numpy, has heard of gradients, and has never trained a network; each under 120 words, as
// the app's own panels do the showing. Each opens the view it talks about.
import type { TrainConfig } from '../../shared/contract';
import type { ViewId } from '../state/workspace';

/** What the checks read: a plain snapshot of the stores (lessonState.ts gathers it). */
export interface LessonFacts {
  status: string;
  step: number;
  config: TrainConfig;
  draft: TrainConfig;
  runOrigin: string;
  selectedDigit: boolean;
  selectedUnit: boolean;
  activations: number;
  how: { forward: boolean; backward: boolean; update: boolean };
  diverged: boolean;
  explained: boolean;
  galleryMistakes: boolean;
  runsCompared: number;
  myDigits: number;
  myDigitsMeasured: boolean;
  exported: boolean;
  /** The step count when the lesson was opened (0 if never). */
  openedAtStep: number;
}

export interface LessonCheck {
  id: string;
  label: string;
  done(facts: LessonFacts, ticked: ReadonlySet<string>): boolean;
}

export interface Lesson {
  id: string;
  title: string;
  view: ViewId;
  goal: string;
  todo: string;
  look: string;
  checks: LessonCheck[];
}

const hasConv = (c: TrainConfig): boolean => c.model.layers.some((l) => l.type === 'conv2d');

export const LESSONS: Lesson[] = [
  {
    id: 'one-step',
    title: 'One step by hand',
    view: 'how',
    goal: 'See what one training step is: forward, the loss, backward, the update.',
    todo: 'In How it works, press Forward until the loss, then Backward to the end. Click l1.weight. Then press Step once, for real.',
    look: "Forward fills the values in, op by op. Backward walks the same tape in reverse; at each op the chain rule turns the gradient of its output into gradients of its inputs. The numbers are this step's. A parameter shows how Adam would move one weight.",
    checks: [
      { id: 'forward', label: 'Forward to the loss', done: (f) => f.how.forward },
      { id: 'backward', label: 'Backward to the end', done: (f) => f.how.backward },
      { id: 'update', label: "Read a weight's update", done: (f) => f.how.update },
      { id: 'step', label: 'Take a real step (Step or Train)', done: (f) => f.step > f.openedAtStep },
    ],
  },
  {
    id: 'tiles',
    title: "The first layer's tiles",
    view: 'train',
    goal: "Watch the first layer's weights go from noise to strokes, and see what one unit looks for.",
    todo: 'Reset, then Train for a few hundred steps while you watch the tiles. Click a tile, then pick a sample digit.',
    look: "Each tile is one unit's weights, one per pixel, drawn as a picture: red pixels push it up, blue ones down. After a few hundred steps the noise turns into strokes and blobs. The unit inspector shows the digits that drive it most.",
    checks: [
      { id: 'trained', label: 'Train past 300 steps', done: (f) => f.step >= 300 },
      { id: 'unit', label: 'Look at one unit up close', done: (f) => f.selectedUnit },
      { id: 'digit', label: 'Pick a digit and see which units fire', done: (f) => f.selectedDigit && f.activations > 0 },
    ],
  },
  {
    id: 'diverge',
    title: 'Make it diverge, then fix it',
    view: 'health',
    goal: 'See what too large a learning rate does, and where it starts.',
    todo: 'Choose SGD with learning rate 5, Reset and Train. When it stops, read Health. Then set the rate to 0.1 or less, Reset and Train again.',
    look: 'With too large a step each update overshoots, the weights grow, and the loss becomes NaN. In Health the gradient norms climb steps before that: that is where it started.',
    checks: [
      { id: 'set', label: 'SGD with learning rate 5', done: (f) => f.config.optimizer.type === 'sgd' && f.config.optimizer.hyper.lr >= 5 },
      { id: 'diverged', label: 'Watch it diverge', done: (f) => f.diverged },
      { id: 'fixed', label: 'Train again with lr ≤ 0.1', done: (f, t) => t.has('diverged') && f.config.optimizer.hyper.lr <= 0.1 && f.status === 'training' },
    ],
  },
  {
    id: 'batch-lr',
    title: 'Batch size and learning rate',
    view: 'runs',
    goal: 'Feel the trade: small batches are noisy but quick, large ones smooth but slow per example.',
    todo: 'Train one run with batch size 8 and one with 256 (Reset between them), each a few hundred steps. In Runs, tick both to overlay them.',
    look: "The small batch's loss curve jumps around; the large one's is smooth. Per step the large batch learns more, but each step costs 32 times the examples. Try a larger learning rate with the large batch.",
    checks: [
      { id: 'small', label: 'A run with batch ≤ 8', done: (f) => f.config.batchSize <= 8 && f.step >= 200 },
      { id: 'large', label: 'A run with batch ≥ 256', done: (f) => f.config.batchSize >= 256 && f.step >= 200 },
      { id: 'overlay', label: 'Overlay two runs', done: (f) => f.runsCompared >= 2 },
    ],
  },
  {
    id: 'mistakes',
    title: 'The mistakes',
    view: 'inspect',
    goal: 'Find what the network confuses, and why.',
    todo: 'Train to 90 % or more. In the confusion matrix click the largest cell off the diagonal, pick one of its digits in the gallery, and read Why this answer.',
    look: 'Off the diagonal are the mistakes: a 4 read as 9, a 7 as 2. The gallery shows them; the saliency map shows which pixels pushed the answer. Many mistakes are digits a person would hesitate on too.',
    checks: [
      { id: 'cell', label: 'Open a confused pair', done: (f) => f.galleryMistakes },
      { id: 'digit', label: 'Pick one of its digits', done: (f, t) => t.has('cell') && f.selectedDigit },
      { id: 'why', label: 'Read why this answer', done: (f, t) => t.has('cell') && f.explained },
    ],
  },
  {
    id: 'cnn',
    title: 'From MLP to CNN',
    view: 'network',
    goal: 'See why convolutions suit images.',
    todo: 'Keep your MLP run. Pick the cnn preset, Reset, and Train past 500 steps. Pick a digit to see its feature maps, then overlay the two runs in Runs.',
    look: 'A convolution slides small filters over the image, so a stroke is found wherever it is. The feature maps show where each filter fires. The CNN learns more per step, and each step costs more.',
    checks: [
      { id: 'switch', label: 'Switch to a CNN and Reset', done: (f) => hasConv(f.config) },
      { id: 'train', label: 'Train it past 500 steps', done: (f) => hasConv(f.config) && f.step >= 500 },
      { id: 'maps', label: "See a digit's feature maps", done: (f) => hasConv(f.config) && f.selectedDigit && f.activations > 0 },
      { id: 'compare', label: 'Overlay it with an MLP run', done: (f, t) => t.has('train') && f.runsCompared >= 2 },
    ],
  },
  {
    id: 'handwriting',
    title: 'Your own handwriting',
    view: 'try',
    goal: 'Test the network on digits it has never seen: yours.',
    todo: 'Draw digits, label each and keep it: ten at least. Read the accuracy on them. Then mix them into training and Train on.',
    look: "Your digits are not MNIST: other pens, other habits. The accuracy on them is often lower than the test set's. Mixing them in shows what a little of the right data does.",
    checks: [
      { id: 'ten', label: 'Keep ten of your digits', done: (f) => f.myDigits >= 10 },
      { id: 'measured', label: 'See the accuracy on them', done: (f, t) => t.has('ten') && f.myDigitsMeasured },
      { id: 'mix', label: 'Mix them into training', done: (f) => f.config.mixMyDigits !== null && f.myDigits > 0 },
    ],
  },
  {
    id: 'pytorch',
    title: 'Take it to PyTorch',
    view: 'runs',
    goal: 'Run your trained network in PyTorch.',
    todo: 'Weights ▸ Export for PyTorch. In a terminal, run python3 model.py on the exported file: it builds the same nn.Sequential and prints its accuracy. Then load the file back here.',
    look: 'model.py is ordinary PyTorch: each layer here is one nn module, with the same weight names. The weights file is safetensors, readable by both, so what PyTorch trains can come back.',
    checks: [
      { id: 'export', label: 'Export the model', done: (f) => f.exported },
      { id: 'load', label: 'Load a weights file back', done: (f, t) => t.has('export') && f.runOrigin === 'file' },
    ],
  },
];

/** Words of a lesson's text (its goal, what to do, what to look at): kept under 120. */
export function lessonWords(lesson: Lesson): number {
  return `${lesson.goal} ${lesson.todo} ${lesson.look}`.split(/\s+/).filter(Boolean).length;
}
