"""The sequence-memory demo: an LSTM reads a word and must tell which letter came first.

Each sample is a "word" of 4 to 16 letters: one capital letter (A to H) followed by
lowercase letters that only distract. The model reads the word one letter at a time and,
at the end, must say which capital letter it saw at the start: a model without memory
cannot do better than one chance in eight. Words have different lengths, so they are
padded with zeros at the end and `Embedding(mask_zero=True)` masks the padding: the LSTM
skips the padded steps, and its last output is the one after the word's last letter.
"""
import time

import numpy as np

CAPITALS = "ABCDEFGH"
DISTRACTORS = "abcdefghijkl"
# Token 0 is the padding; the capitals are 1 to 8, the distractors 9 to 20.
ALPHABET = "_" + CAPITALS + DISTRACTORS


def generate_words(n_samples, seed, min_length=4, max_length=16):
    """Makes words of a capital letter followed by distractors, as token arrays.

    # Arguments
        n_samples: the number of words.
        seed: the generator's seed.
        min_length: the shortest word.
        max_length: the longest word (the padded length).

    # Returns
        `(tokens, labels)`: int tokens `(n_samples, max_length)`, right-padded with 0, and
        the index (0 to 7) of each word's first letter in `CAPITALS`.
    """
    rng = np.random.default_rng(seed)
    lengths = rng.integers(min_length, max_length + 1, size=n_samples)
    labels = rng.integers(0, len(CAPITALS), size=n_samples)
    tokens = rng.integers(1 + len(CAPITALS), len(ALPHABET), size=(n_samples, max_length))
    tokens[:, 0] = labels + 1
    tokens[np.arange(max_length) >= lengths[:, None]] = 0
    return tokens, labels


def decode(tokens):
    """Turns a row of tokens back into its word (the padding dropped).

    # Arguments
        tokens: a 1-D int array.

    # Returns
        A string.
    """
    return "".join(ALPHABET[token] for token in tokens if token)


def build_model(units=32):
    """Builds the demo's model: Embedding (masking the padding), LSTM, softmax.

    # Arguments
        units: the size of the LSTM's state.

    # Returns
        An uncompiled `Sequential` model.
    """
    from minikeras.layers import Dense, Embedding
    from minikeras.layers.recurrent import LSTM
    from minikeras.models import Sequential
    return Sequential([Embedding(len(ALPHABET), 16, mask_zero=True),
                       LSTM(units),
                       Dense(len(CAPITALS), activation="softmax")], name="sequence_memory")


def run(epochs=4, samples=4000, seed=0, batch_size=32, max_length=16, out=None, verbose=1,
        echo=print):
    """Runs the demo: generates words, trains the LSTM, reports the test accuracy.

    # Arguments
        epochs: training epochs.
        samples: how many training words to generate (a quarter as many test words).
        seed: seeds the data and the weights.
        batch_size: samples per batch.
        max_length: the longest word, in letters.
        out: an optional `.h5` path to save the trained model to.
        verbose: 0, 1 or 2, as for `fit`.
        echo: the function that prints a line.

    # Returns
        A dict with `test_accuracy`, `history`, `examples` (word, predicted letter) and
        `seconds`.
    """
    from minikeras import backend
    from minikeras.optimizers import RMSprop
    started = time.perf_counter()
    backend.set_seed(seed)
    x_train, y_train = generate_words(samples, seed, max_length=max_length)
    x_test, y_test = generate_words(max(samples // 4, 1), seed + 1, max_length=max_length)
    echo(f"Generated {samples} words of 4 to {max_length} letters, such as "
         f"{', '.join(decode(row) for row in x_train[:3])}. Which capital came first?")
    model = build_model()
    # RMSprop, as Keras advises for recurrent networks.
    model.compile(optimizer=RMSprop(lr=0.005), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    if verbose:
        model.summary(print_fn=echo)
    history = model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs,
                        verbose=verbose, validation_data=(x_test, y_test))
    predicted = np.argmax(model.predict(x_test, batch_size=256), axis=-1)
    accuracy = float(np.mean(predicted == y_test))
    examples = [(decode(row), CAPITALS[label]) for row, label in zip(x_test[:5], predicted)]
    for word, letter in examples:
        echo(f"  {word:<{max_length}} -> {letter}")
    echo(f"Test accuracy: {accuracy:.3f} (chance: {1 / len(CAPITALS):.3f})")
    if out:
        model.save(out)
        echo(f"Wrote {out}")
    seconds = time.perf_counter() - started
    echo(f"Done in {seconds:.1f} s.")
    return {"test_accuracy": accuracy, "history": history.history, "examples": examples,
            "seconds": seconds}
