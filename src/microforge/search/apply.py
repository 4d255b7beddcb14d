"""`microforge search PROJECT --apply N`: trial N's config as microforge.trial<N>.toml beside
the project's own (never over it), so `microforge run` on it trains that candidate again.

The trial's project gets its own name and output folder (`<name>_trial<N>`), so running it
does not replace the project's build folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from microforge.atomic import atomic_write_text
from microforge.config import load_config
from microforge.errors import ConfigError
from microforge.search.candidate import make_candidate, read_document
from microforge.search.results import find_trial
from microforge.search.settings import SearchSettings
from microforge.toml_text import to_toml


def apply_trial(settings: SearchSettings, number: int, force: bool = False) -> Path:
    if not settings.trials_json.is_file():
        raise ConfigError(f"{settings.trials_json}: no search here; run `microforge search "
                          f"{settings.config_path.parent}` first")
    record = json.loads(settings.trials_json.read_text(encoding="utf-8"))
    trial = find_trial(record["trials"], number)
    if trial is None:
        known = ", ".join(str(t["number"]) for t in record["trials"][:20])
        raise ConfigError(f"--apply {number}: no such trial in {settings.trials_json} "
                          f"(trials: {known or 'none'})")
    if trial.get("state") != "trained":
        raise ConfigError(f"--apply {number}: trial {number} was not trained "
                          f"({trial.get('state')}: {trial.get('reason')}); choose a trained "
                          "trial")
    document = trial_document(settings, trial, record)
    target = settings.config_path.parent / f"microforge.trial{number}.toml"
    if target.exists() and not force:
        raise ConfigError(f"{target}: exists; pass --force to replace it")
    header = [f"# trial {number} of `microforge search` on {record['board']} "
              f"(validation accuracy {100 * trial['accuracy']:.1f} %, seed {record['seed']})",
              f"# from {settings.config_path.name}; `microforge run {target.name}` trains it"]
    if trial.get("variant") == "qat":
        header.append("# quantization: QAT ([quantization] variant = \"qat\"): `microforge "
                      "run` fine-tunes the trained model with simulated int8, then quantizes it")
    elif trial.get("variant") == "ptq_16x8":
        header.append("# quantization: 16x8 ([quantization] variant = \"ptq_16x8\"): `microforge "
                      "run` makes the 16x8 model (int16 activations and I/O, int8 weights), "
                      "which the C pipeline deploys")
    atomic_write_text(target, "\n".join(header) + "\n" + to_toml(document))
    load_config(target)  # what was written is a valid config
    return target


def trial_document(settings: SearchSettings, trial: dict[str, Any],
                   record: dict[str, Any]) -> dict[str, Any]:
    candidate = make_candidate(settings.config_path, read_document(settings.config_path),
                               trial["params"], record.get("max_epochs"),
                               float(record.get("val_fraction", settings.val_fraction)))
    doc = candidate.document
    number = trial["number"]
    project = doc.setdefault("project", {})
    project["name"] = f"{project.get('name', settings.project)}_trial{number}"
    if project.get("output_dir"):
        project["output_dir"] = f"{project['output_dir']}_trial{number}"
    return doc
