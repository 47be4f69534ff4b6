"""Tests of the sequence-memory demo (`minikeras.demos.sequence`)."""
import numpy as np
import pytest

from minikeras.demos import sequence


def test_generated_words():
    tokens, labels = sequence.generate_words(50, seed=3, min_length=4, max_length=9)
    assert tokens.shape == (50, 9) and labels.shape == (50,)
    np.testing.assert_array_equal(tokens[:, 0], labels + 1)
    lengths = (tokens != 0).sum(axis=1)
    assert lengths.min() >= 4 and lengths.max() <= 9
    for row, length in zip(tokens, lengths):
        assert np.all(row[:length] != 0) and np.all(row[length:] == 0)  # right-padded
        word = sequence.decode(row)
        assert len(word) == length and word[0] in sequence.CAPITALS
        assert all(letter in sequence.DISTRACTORS for letter in word[1:])
    again, _ = sequence.generate_words(50, seed=3, min_length=4, max_length=9)
    np.testing.assert_array_equal(again, tokens)


def test_model_shapes():
    model = sequence.build_model(units=4)
    assert model.predict(np.array([[1, 9, 10, 0]])).shape == (1, len(sequence.CAPITALS))


@pytest.mark.integration
def test_demo_learns_the_first_letter(tmp_path):
    lines = []
    result = sequence.run(epochs=4, samples=4000, seed=0, out=str(tmp_path / "model.h5"),
                          verbose=0, echo=lines.append)
    print(f"sequence demo: test accuracy {result['test_accuracy']:.3f} in "
          f"{result['seconds']:.1f} s")
    assert result["test_accuracy"] >= 0.95
    assert result["seconds"] < 60
    assert any(line.startswith("Test accuracy: ") for line in lines)
    assert (tmp_path / "model.h5").exists() and len(result["examples"]) == 5
