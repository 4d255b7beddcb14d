from __future__ import annotations

import numpy as np
import pytest

from microforge.errors import ConfigError, ModelError
from microforge.optimize.distill import DistillParams, distill, distillation_loss
from tests.train.test_fit import separable_windows


def _probs(rows):
    return np.asarray(rows, np.float32)


def test_loss_is_cross_entropy_at_alpha_zero_and_zero_for_a_perfect_copy(tf):
    labels = np.array([0, 2])
    student = _probs([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    teacher = _probs([[0.5, 0.4, 0.1], [0.2, 0.2, 0.6]])
    hard = distillation_loss(labels, teacher, student, 4.0, 0.0).numpy()
    assert hard == pytest.approx(-np.mean(np.log([0.7, 0.6])), rel=1e-5)
    assert distillation_loss(labels, student, student, 4.0, 1.0).numpy() == pytest.approx(
        0.0, abs=1e-5)
    soft = distillation_loss(labels, teacher, student, 2.0, 1.0).numpy()
    mixed = distillation_loss(labels, teacher, student, 2.0, 0.5).numpy()
    assert soft > 0
    assert mixed == pytest.approx(0.5 * hard + 0.5 * soft, rel=1e-5)


def test_soft_targets_follow_the_temperature_scaled_kl(tf):
    labels = np.array([0])
    teacher, student = _probs([[0.6, 0.3, 0.1]]), _probs([[0.3, 0.3, 0.4]])
    t = 3.0

    def soften(p):
        q = np.exp(np.log(p) / t)
        return q / q.sum()

    expected = t**2 * np.sum(soften(teacher) * np.log(soften(teacher) / soften(student)))
    assert distillation_loss(labels, teacher, student, t, 1.0).numpy() == pytest.approx(
        expected, rel=1e-4)


@pytest.mark.parametrize("field, value", [("temperature", 0.0), ("alpha", 1.5),
                                          ("alpha", -0.1), ("epochs", -1)])
def test_bad_parameters_are_config_errors(field, value):
    with pytest.raises(ConfigError, match=field):
        DistillParams(**{field: value})


@pytest.mark.slow
def test_student_learns_from_the_teacher_alone_and_the_teacher_is_untouched(tf):
    """alpha = 1: the labels are not used, so all the student knows comes from the teacher."""
    from microforge.train.fit import TrainParams, train_model
    from microforge.train.zoo import build_model

    x, y = separable_windows(n=180, seed=6)
    teacher = build_model("cnn1d", x.shape[1:], 3, seed=6)
    train_model(teacher, x[:150], y[:150], params=TrainParams(epochs=6, batch_size=16, seed=6,
                                                              early_stopping_patience=0),
                progress=False)
    frozen = [w.copy() for w in teacher.get_weights()]
    student = build_model("cnn1d", x.shape[1:], 3, width=0.3, seed=7)
    assert student.count_params() < teacher.count_params() / 4
    trained = distill(teacher, student, x[:150], y[:150], None, None,
                      DistillParams(epochs=6, alpha=1.0, batch_size=16, learning_rate=3e-3,
                                    seed=1))
    assert trained is student
    student_labels = np.argmax(student.predict(x[150:], verbose=0), -1)
    teacher_labels = np.argmax(teacher.predict(x[150:], verbose=0), -1)
    assert np.mean(teacher_labels == y[150:]) > 0.8
    assert np.mean(student_labels == teacher_labels) > 0.7  # chance: about 1/3
    for before, after in zip(frozen, teacher.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)


def test_teacher_and_student_must_have_the_same_classes(tf):
    from microforge.train.zoo import build_model

    teacher = build_model("dense", (10,), 3)
    student = build_model("dense", (10,), 4)
    x = np.zeros((8, 10), np.float32)
    with pytest.raises(ModelError, match="outputs"):
        distill(teacher, student, x, np.zeros(8, int), None, None, DistillParams(epochs=1))
