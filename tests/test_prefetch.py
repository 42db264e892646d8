from lectureutils import prefetch
from lectureutils.models import CATALOGUE


def test_dry_run_lists_every_model_and_data_set(capsys):
    assert prefetch.main(["--dry-run"]) == 0
    out = capsys.readouterr().out
    for name in CATALOGUE:
        assert name in out
    assert "NSMC train" in out and "KorQuAD 1.0 dev" in out


def test_prefetch_refuses_to_run_offline(capsys):
    assert prefetch.main([]) == 2
    assert "offline" in capsys.readouterr().err


def test_every_data_loader_exists():
    from lectureutils import data

    for _, loader, _ in prefetch.DATASETS:
        assert callable(getattr(data, loader))


def test_standins_are_built_without_network(fresh_cache, capsys, monkeypatch):
    built = []
    monkeypatch.setattr(prefetch, "build", lambda name, recipe: built.append(name) or fresh_cache / name)
    assert prefetch.main(["--standins"]) == 0
    assert "sentence-transformers/all-MiniLM-L6-v2" not in built  # the packaged real model needs no build
    assert set(built) == {name for name, entry in CATALOGUE.items() if entry.offline != "packaged"}
