import json

import pytest

from microforge.cli import main
from tests.optimize.project_fixture import small_config


def test_missing_config_is_one_line_exit_2(tmp_path, capsys):
    assert main(["optimize", str(tmp_path / "missing.toml")]) == 2
    err = capsys.readouterr().err.strip()
    assert "missing.toml" in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_bad_optimize_field_names_the_field(tmp_path, capsys):
    (tmp_path / "microforge.toml").write_text(
        '[dataset]\npath = "d"\n[optimize]\nprune_sparsity = 1.5\n')
    assert main(["optimize", str(tmp_path)]) == 2
    assert "optimize.prune_sparsity" in capsys.readouterr().err


def test_unknown_technique_in_config_or_option_exits_2(tmp_path, capsys):
    (tmp_path / "microforge.toml").write_text(
        '[dataset]\npath = "d"\n[optimize]\ntechniques = ["ptq_int4"]\n')
    assert main(["optimize", str(tmp_path)]) == 2
    assert "optimize.techniques" in capsys.readouterr().err
    config = small_config(tmp_path / "p")
    assert main(["optimize", str(config), "--techniques", "float32,prune_everything"]) == 2
    err = capsys.readouterr().err
    assert "prune_everything" in err and "Traceback" not in err
    assert main(["optimize", str(config), "--folds", "0"]) == 2
    assert "--folds" in capsys.readouterr().err


@pytest.mark.slow
def test_optimize_prints_table_and_writes_report(tmp_path, capsys):
    config = small_config(tmp_path)
    code = main(["optimize", str(config), "-t", "float32,ptq_int8", "--folds", "1",
                 "--no-instructions"])
    assert code == 0
    out = capsys.readouterr().out
    assert "float32" in out and "ptq_int8" in out and "recommended variant per board" in out
    folder = tmp_path / "build" / "optimize"
    section = json.loads((folder / "optimization.json").read_text())
    assert section["folds"] == ["fold1"]
    assert [v["technique"] for v in section["variants"]] == ["float32", "ptq_int8"]
    assert "Optimization trade-offs" in (folder / "report.html").read_text()
