"""A Keras callback showing one rich progress bar over epochs (instead of per-batch output)."""

from __future__ import annotations


def rich_epoch_callback(epochs: int, description: str = "training", console=None):
    """A keras.callbacks.Callback advancing a rich Progress once per epoch with the metrics."""
    import keras
    from rich.errors import LiveError
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
    )

    class RichEpochProgress(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[figures]}"),
                TimeElapsedColumn(),
                console=console,
                transient=False,
            )
            self.task: TaskID | None = None

        def on_train_begin(self, logs=None) -> None:
            try:
                self.progress.start()
            except LiveError:  # another live display is active: keep training, skip the bar
                self.progress.disable = True
            self.task = self.progress.add_task(description, total=epochs, figures="")

        def on_epoch_end(self, epoch, logs=None) -> None:
            shown = ("loss", "accuracy", "val_loss", "val_accuracy")
            figures = "  ".join(f"{k} {logs[k]:.3f}" for k in shown if logs and k in logs)
            assert self.task is not None, "keras calls on_train_begin before on_epoch_end"
            self.progress.update(self.task, completed=epoch + 1, figures=figures)

        def on_train_end(self, logs=None) -> None:
            self.progress.stop()

    return RichEpochProgress()
