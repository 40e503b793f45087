// The 'How it works' view until issue 27 brings it: says what it will show.
export function HowPlaceholder() {
  return (
    <section className="panel" data-testid="how-placeholder">
      <header className="panel-head">
        <h2>How it works</h2>
      </header>
      <p className="panel-lead">
        Coming here: how a digit becomes an answer (pixels, weighted sums, the activation, the probabilities), how the loss measures the
        mistakes, and how each step of training nudges the weights against the gradient, shown on the network you are training.
      </p>
    </section>
  );
}
