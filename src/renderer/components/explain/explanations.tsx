// What each panel shows, in one sentence (always visible), and the idea behind it (behind its
// "?"). Written for someone meeting neural networks for the first time: what they see, why it
// behaves so, what to try. Numbers about the data come from shared/mnist, not from the text.
import type { ReactNode } from 'react';
import { MNIST_CLASSES, MNIST_COLS, MNIST_PIXELS, MNIST_ROWS } from '../../../shared/mnist';

export type Topic = 'loss' | 'accuracy' | 'network' | 'samples' | 'confusion' | 'settings' | 'images' | 'draw' | 'firing';

export interface Explanation {
  lead: string;
  body: ReactNode;
}

const CHANCE_LOSS = Math.log(MNIST_CLASSES).toFixed(2);
const CHANCE_PERCENT = 100 / MNIST_CLASSES;

export const EXPLANATIONS: Record<Topic, Explanation> = {
  loss: {
    lead: 'How wrong the network’s answers are, step by step: training makes it fall.',
    body: (
      <>
        <p>
          The loss is the cross-entropy: minus the logarithm of the probability the network gave the right digit. A sure right answer costs 0; guessing evenly among the {MNIST_CLASSES} digits costs ln{' '}
          {MNIST_CLASSES} ≈ {CHANCE_LOSS} — the dashed chance line, where a fresh network starts.
        </p>
        <p>
          Each step computes the loss on a small batch of training images, works out how every weight would change it (the gradient, by backpropagation) and moves the weights a little downhill. So it
          falls: fast at first, then slowly.
        </p>
        <p>
          The thin line is each batch’s loss — noisy, because every batch holds other images. The thick line smooths it. The dots are the loss on the test images, which the network never trains on.
        </p>
        <p>Drag across a chart to zoom into those steps; the log scale spreads out the slow late part.</p>
      </>
    ),
  },
  accuracy: {
    lead: 'The share of images it gets right, on training batches and on the test set.',
    body: (
      <>
        <p>
          Batch accuracy is measured on the batch the network is about to learn from, so it is noisy: a batch is a few dozen images. Test accuracy is measured on the test images, which the network
          never learns from: it says how well what it learned carries over to digits it has not seen.
        </p>
        <p>
          The two differ because the network slowly fits the training images themselves. When batch accuracy keeps rising while test accuracy stalls or falls, it is memorising rather than learning
          (overfitting).
        </p>
        <p>The dashed line is chance, {CHANCE_PERCENT}%: picking a digit at random.</p>
      </>
    ),
  },
  network: {
    lead: 'The layers, and what each unit of the first layer looks for: its weights drawn as a picture.',
    body: (
      <>
        <p>
          A tile holds one unit’s {MNIST_PIXELS} weights, one per pixel of the {MNIST_ROWS}×{MNIST_COLS} input, drawn where that pixel is. Red weights add to the unit’s input when ink falls on them,
          blue ones subtract, white ones hardly matter. So a unit responds to strokes over its red parts and is held back by strokes over its blue parts.
        </p>
        <p>
          A unit <em>fires</em> when its weighted sum of the pixels, plus its bias, is above zero: ReLU passes positive values on and turns negative ones into 0. Pick a digit (from the samples, or
          draw one) and the tiles light up by how strongly each unit fired.
        </p>
        <p>
          The next layer combines the units that fire into a score per digit (click a tile to see how it votes), and softmax turns the scores into probabilities. At the start the tiles are random
          noise; watch strokes and blobs appear as it trains.
        </p>
      </>
    ),
  },
  samples: {
    lead: 'Test images with the network’s guess and how sure it is. Mistakes are framed in red.',
    body: (
      <>
        <p>
          The same test images every time, so you can watch the guesses change as the network learns. The percentage is the probability the network gives its guess (the softmax of its scores). Click
          one to follow it through the network.
        </p>
        <p>
          Why can it be wrong and 99% sure? That number says how strongly the network prefers one digit to the others, not how often it is right. Training rewards confident answers on the training
          images, and a digit written in an unusual way can land squarely in another digit’s territory. Confidence is not correctness: the confusion matrix shows how often each answer is right.
        </p>
      </>
    ),
  },
  confusion: {
    lead: 'Which digits the network mixes up, over the whole test set.',
    body: (
      <>
        <p>
          Each row is the true digit, each column the network’s guess: a cell counts the test images of that row’s digit it guessed as that column’s. The diagonal holds the right answers (blue);
          everything off it is a mistake (red).
        </p>
        <p>
          Shades show each cell’s share of its row, so rare mistakes still show. The last column is each digit’s accuracy. Look for pairs that look alike when written quickly: 4 and 9, 3 and 5, 7 and
          2.
        </p>
      </>
    ),
  },
  settings: {
    lead: 'The settings of the run. Point at one (or focus it) to see what it does.',
    body: (
      <>
        <p>
          The network’s size and the seed decide the starting weights: changing them means building a new network (Reset). Everything else applies while training, from the next step on.
          <br />
          <small>In PyTorch: like changing a param group’s lr between optimizer steps.</small>
        </p>
        <p>A value that is not allowed stays in its field, marked, until you fix it; nothing runs with a value you did not see.</p>
      </>
    ),
  },
  images: {
    lead: 'Drop pictures of digits on the window to see what the network answers.',
    body: (
      <>
        <p>
          Each image is prepared as MNIST’s digits were: made grey, inverted if the paper is light, cropped to the ink, scaled to 20 pixels and centred in {MNIST_ROWS}×{MNIST_COLS}. The small picture
          is exactly what the network reads.
        </p>
        <p>
          It learned only from centred handwritten digits. A photo, a shape or printed type still gets an answer — a network always answers — so Digitrain says when an input looks unlike a handwritten
          digit.
        </p>
      </>
    ),
  },
  draw: {
    lead: 'Draw a digit with the mouse; the network answers when you lift it.',
    body: (
      <>
        <p>Your drawing is prepared like a dropped image (cropped, scaled to 20 pixels, centred) and passed through the network; the network view then shows which units fire for it.</p>
        <p>Draw large and in one go, like the digits in the samples. Clear to start again.</p>
      </>
    ),
  },
  firing: {
    lead: 'How many units of the first layer respond to this input.',
    body: (
      <>
        <p>A unit fires when the weighted sum of the pixels plus its bias is above zero. The units that fire pass their values on; the rest pass 0.</p>
        <p>
          When none fire, the next layer sees only zeros and answers from its biases alone: the same answer, with the same probabilities, for every input like that. It usually means the input is
          unlike anything the network learned from.
        </p>
      </>
    ),
  },
};
