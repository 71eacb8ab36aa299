"""Where a run's batches go: many files start a local cluster by themselves, small runs stay in threads."""
from __future__ import annotations

from flows.pipeline import AUTO_CLUSTER_FILES, placement
from flows.settings import RunParams


def test_many_files_start_a_local_cluster_with_bigger_batches():
    assert placement(RunParams(raw_dir="r"), 5_000) == ("local", 500)
    assert placement(RunParams(raw_dir="r"), 10_000) == ("local", 1000)
    assert placement(RunParams(raw_dir="r"), 100_000) == ("local", 1000)
    assert placement(RunParams(raw_dir="r"), AUTO_CLUSTER_FILES) == ("local", 200)


def test_small_runs_stay_in_the_flow_threads():
    assert placement(RunParams(raw_dir="r"), AUTO_CLUSTER_FILES - 1) == (None, 200)
    assert placement(RunParams(raw_dir="r", batch_size=2), 5) == (None, 2)


def test_what_the_caller_sets_wins():
    assert placement(RunParams(raw_dir="r", batch_size=300), 10_000) == ("local", 300)
    assert placement(RunParams(raw_dir="r", dask_address="threads"), 10_000) == (None, 200)
    assert placement(RunParams(raw_dir="r", dask_address="local"), 50) == ("local", 200)
    assert placement(RunParams(raw_dir="r", dask_address="tcp://h:8786"), 10_000) == ("tcp://h:8786", 200)
