"""Label mapping: several raw labels to one class (e.g. AAMI beat classes), the rest dropped."""

from __future__ import annotations

from collections import Counter

from microforge.data.recording import Recording
from microforge.errors import DataError

# ANSI/AAMI EC57 beat classes from the MIT-BIH annotation symbols.
AAMI = {
    "N": ["N", "L", "R", "e", "j"],  # normal, bundle branch blocks, escape beats
    "S": ["A", "a", "J", "S"],  # supraventricular ectopic
    "V": ["V", "E"],  # ventricular ectopic
    "F": ["F"],  # fusion of ventricular and normal
    "Q": ["/", "f", "Q"],  # paced, fusion of paced and normal, unclassifiable
}
PRESETS = {"aami": AAMI}


def resolve_label_map(label_map: dict[str, list[str]] | str | None) -> dict[str, list[str]] | None:
    """The map as class -> raw labels; a preset name ("aami") is expanded."""
    if label_map is None or isinstance(label_map, dict):
        if isinstance(label_map, dict):
            seen: dict[str, str] = {}
            for cls, raws in label_map.items():
                for raw in raws:
                    if raw in seen and seen[raw] != cls:
                        raise DataError(
                            f"dataset.label_map: raw label {raw!r} is mapped to both "
                            f"{seen[raw]!r} and {cls!r}; list it under one class only"
                        )
                    seen[raw] = cls
        return label_map
    if label_map.lower() in PRESETS:
        return PRESETS[label_map.lower()]
    raise DataError(
        f"dataset.label_map: unknown preset {label_map!r}; use one of {', '.join(PRESETS)} "
        "or a table of class = [raw labels]"
    )


def apply_label_map(
    recordings: list[Recording],
    classes: list[str],
    label_map: dict[str, list[str]] | str | None,
    keep: tuple[str, ...] = (),
) -> tuple[list[Recording], list[str], list[str]]:
    """(mapped recordings, class order, notes). Labels in `keep` pass through unmapped.

    The class order is the map's, limited to classes that have recordings; dropped labels
    and absent classes are counted in the notes."""
    mapping = resolve_label_map(label_map)
    if mapping is None:
        return recordings, classes, []
    raw_to_class = {raw: cls for cls, raws in mapping.items() for raw in raws}
    raw_to_class.update({k: k for k in keep if k not in raw_to_class})
    kept: list[Recording] = []
    dropped: Counter[str] = Counter()
    for r in recordings:
        cls = raw_to_class.get(r.label)
        if cls is None:
            dropped[r.label] += 1
            continue
        kept.append(Recording(r.signal, r.sample_rate, cls, r.group, r.source, r.channel_names))
    present = {r.label for r in kept}
    order = [c for c in list(mapping) + [k for k in keep if k not in mapping] if c in present]
    notes = []
    if dropped:
        what = ", ".join(f"{label!r}: {n}" for label, n in dropped.most_common())
        notes.append(
            f"label_map: dropped {sum(dropped.values())} of {len(recordings)} recordings/events "
            f"with unmapped labels ({what})"
        )
    absent = [c for c in mapping if c not in present]
    if absent:
        notes.append(f"label_map: no data for class(es) {', '.join(absent)}; left out")
    if not kept:
        raise DataError(
            f"dataset.label_map: no label in the data is mapped (labels found: "
            f"{', '.join(sorted(dropped)[:12])}); list them under a class"
        )
    return kept, order, notes
