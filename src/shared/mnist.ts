// The digits the app works with: MNIST's 28×28 greyscale images and its ten classes. The
// renderer, the hosts and the weights files share these; the engine's MNIST reader
// (engine/data/mnist.ts) checks the idx files against the same sizes on its own, since the
// engine stands alone and imports nothing from the app.
export const MNIST_ROWS = 28;
export const MNIST_COLS = 28;
export const MNIST_PIXELS = MNIST_ROWS * MNIST_COLS;
export const MNIST_CLASSES = 10;
