"""What a core offers the kernels: the instruction-set features that decide which kernel variant
the code generator calls (codegen/variants.py). The host build, and any board whose core lacks a
feature, gets the portable kernels."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.targets.boards import Board, load_board


@dataclass(frozen=True)
class CoreFeatures:
    core: str = "host"  # GCC -mcpu spelling (cortex-m4 ...), an arch name (rv32imc), or "host"
    dsp: bool = False  # Armv7E-M / Armv8-M DSP extension: SMLAD, SXTB16, SSAT ...
    fpu: str = "none"  # none / sp / dp

    @property
    def armv6m(self) -> bool:
        """Cortex-M0/M0+/M1 (Armv6-M: Thumb-1, 32-bit multiplies only)."""
        return self.core in ("cortex-m0", "cortex-m0plus", "cortex-m1")

    def describe(self) -> str:
        extras = [name for name, on in (("dsp", self.dsp), (f"fpu {self.fpu}",
                                                             self.fpu != "none")) if on]
        return self.core + (f" ({', '.join(extras)})" if extras else "")


HOST = CoreFeatures()


def core_features(board: Board | None) -> CoreFeatures:
    """The features of the board's core (HOST without a board)."""
    if board is None:
        return HOST
    return CoreFeatures(core=board.core, dsp=bool(board.dsp_ext), fpu=board.fpu)


def features_of_target(target: str | Board | CoreFeatures | None) -> CoreFeatures:
    """`compile_model(target=...)`: "host" or None, a board id, a Board or CoreFeatures."""
    if target is None or target == "host":
        return HOST
    if isinstance(target, CoreFeatures):
        return target
    if isinstance(target, Board):
        return core_features(target)
    return core_features(load_board(target))
