"""Knowledge distillation (Hinton et al., 2015): a small student learns from a trained teacher.

The student minimises (1 - alpha) * CE(labels, student) + alpha * T^2 * KL(teacher_T || student_T),
where p_T = softmax(log(p) / T) softens a model's class probabilities p with temperature T (the
zoo models end in a softmax, so log(p) stands for the logits: same softmax up to a constant).
The T^2 factor keeps the soft-target gradients on the scale of the hard-label ones. The
teacher runs in inference mode on the very batch the student sees, so per-batch augmentation
(`batch_transform`) gives fresh soft targets every epoch. Keras 3 custom train_step (TensorFlow
backend); the student is trained in place and returned, with its softmax output unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.errors import ConfigError, ModelError
from microforge.optimize.prune_magnitude import check_finetune_fields
from microforge.train.augment import BatchTransform


@dataclass
class DistillParams:
    temperature: float = 4.0
    alpha: float = 0.5  # weight of the soft-target loss; 1 - alpha for the labels
    epochs: int = 30
    learning_rate: float = 1e-3  # Adam, cosine decay to 0 over the epochs
    batch_size: int = 32
    seed: int = 0
    batch_transform: BatchTransform | None = None  # per-batch augmentation, as in TrainParams

    def __post_init__(self) -> None:
        if self.temperature <= 0:
            raise ConfigError(f"optimize.temperature must be > 0, got {self.temperature}")
        if not 0 <= self.alpha <= 1:
            raise ConfigError(f"optimize.alpha must be in [0, 1], got {self.alpha}")
        check_finetune_fields(self)


def distillation_loss(labels, teacher_probs, student_probs, temperature: float, alpha: float):
    """Per-batch loss (a scalar tensor) from integer labels and the two softmax outputs."""
    import tensorflow as tf

    eps = 1e-7
    hard = tf.reduce_mean(
        tf.keras.losses.sparse_categorical_crossentropy(labels, student_probs)
    )
    soft_teacher = tf.nn.softmax(tf.math.log(teacher_probs + eps) / temperature)
    log_soft_student = tf.nn.log_softmax(tf.math.log(student_probs + eps) / temperature)
    kl = tf.reduce_sum(
        soft_teacher * (tf.math.log(soft_teacher + eps) - log_soft_student), axis=-1
    )
    return (1.0 - alpha) * hard + alpha * temperature**2 * tf.reduce_mean(kl)


def distill(teacher, student, x, y, x_val, y_val, params: DistillParams | None = None):
    """Train `student` on soft targets of `teacher` plus the labels; returns the student.

    Fixed epochs: `x_val`/`y_val` are accepted for the common signature and not used.
    """
    import keras
    import tensorflow as tf

    from microforge.train.augment import batches
    from microforge.train.fit import _checked

    params = params or DistillParams()
    n_classes = int(student.output_shape[-1])
    if int(teacher.output_shape[-1]) != n_classes:
        raise ModelError(f"teacher {teacher.name!r} has {teacher.output_shape[-1]} outputs, "
                         f"student {student.name!r} {n_classes}; they must classify alike")
    x, y = _checked(x, y, n_classes, "train")
    keras.utils.set_random_seed(params.seed)
    temperature, alpha = float(params.temperature), float(params.alpha)

    class _Distiller(keras.Model):
        def __init__(self) -> None:
            super().__init__(name=f"{student.name}_distiller")
            self.student = student
            self.loss_tracker = keras.metrics.Mean(name="loss")

        def call(self, inputs, training=False):
            return self.student(inputs, training=training)

        def train_step(self, data):
            inputs, labels = data[0], data[1]
            teacher_probs = teacher(inputs, training=False)
            with tf.GradientTape() as tape:
                student_probs = self.student(inputs, training=True)
                loss = distillation_loss(labels, teacher_probs, student_probs,
                                         temperature, alpha)
            variables = self.student.trainable_variables
            self.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
            self.loss_tracker.update_state(loss)
            return {"loss": self.loss_tracker.result()}

        @property
        def metrics(self):
            return [self.loss_tracker]

    if params.epochs == 0:
        return student
    steps = params.epochs * int(np.ceil(len(y) / params.batch_size))
    distiller = _Distiller()
    schedule = keras.optimizers.schedules.CosineDecay(params.learning_rate, steps)
    distiller.compile(optimizer=keras.optimizers.Adam(schedule))
    if params.batch_transform is not None:
        data = batches(x, y, np.ones(len(y), np.float32), params.batch_size,
                       params.batch_transform, params.seed)
        distiller.fit(data, epochs=params.epochs, verbose=0)
    else:
        distiller.fit(x, y, batch_size=params.batch_size, shuffle=True,
                      epochs=params.epochs, verbose=0)
    return student
