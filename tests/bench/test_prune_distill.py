from __future__ import annotations

from bench.doc_section import replace_section
from bench.prune_distill import SECTION, FoldFigures, Variant, section_text


def _variant(accuracy: float, params: int, scale: float) -> Variant:
    return Variant(accuracy=accuracy, float_accuracy=accuracy, params=params,
                   macs=int(1000 * scale), weight_bytes=int(500 * scale),
                   arena=int(300 * scale), flash=int(900 * scale))


def test_section_is_replaced_and_the_others_kept():
    doc = "# Benchmarks\n\n## A\n\na text\n\n" + SECTION + "\n\nold\n\n## B\n\nb text\n"
    new = replace_section(doc, SECTION, SECTION + "\n\nnew figures\n")
    assert "old" not in new and "new figures" in new
    assert new.index("## A") < new.index(SECTION) < new.index("## B")
    assert new.endswith("## B\n\nb text\n")
    appended = replace_section("# Benchmarks\n\n## A\n\na\n", SECTION, SECTION + "\n\nx\n")
    assert appended.endswith(SECTION + "\n\nx\n") and "## A\n\na\n" in appended


def test_section_reports_means_and_ratios():
    import argparse

    fold = FoldFigures("fold1", ("2", "10"), (0,), student_runs=[(0, 0.85, 0.88)])
    fold.variants = {"baseline": _variant(0.90, 1000, 1.0), "pruned_labels": _variant(0.87, 300, 0.4),
                     "pruned": _variant(0.89, 300, 0.4), "student": _variant(0.85, 240, 0.3),
                     "distilled": _variant(0.88, 240, 0.3)}
    args = argparse.Namespace(epochs=2, finetune_epochs=1, student_epochs=1, finetune_lr=1e-3,
                              prune_distill_alpha=0.5, fraction=0.5, temperature=4.0, alpha=0.5,
                              student_seeds=None)
    text = section_text([fold], args, 60.0)
    assert text.startswith(SECTION)
    assert "| **mean** | | **90.0** | **87.0** | **89.0** | **-1.0** |" in text
    assert "MACs 0.40x" in text and "flash 0.40x" in text
    assert "| fold1 | 0 | 90.0 | 85.0 | 88.0 | +3.0 |" in text
    assert "better in 1 of 1" in text and "fold i uses seed i" in text
    two = FoldFigures("fold2", ("4",), (0, 1), variants=fold.variants,
                      student_runs=[(0, 0.80, 0.82), (1, 0.84, 0.83)])
    args.student_seeds = [0, 1]
    text = section_text([fold, two], args, 60.0)
    assert "| fold2 | 1 | 90.0 | 84.0 | 83.0 | -1.0 |" in text
    assert "better in 2 of 3" in text and "--student-seeds 0 1" in text
